using System.Collections.Immutable;
using System.Text.Json.Serialization;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Dns;

/// <summary>
/// DNS records as JSON for scripts (<c>dns --format json</c>), by System.Text.Json source
/// generation (no reflection, NativeAOT-clean). <c>value</c> is the plain form, <c>strings</c>
/// the zone form's strings; both are null for a DKIM record without a key.
/// </summary>
public static class DnsJson
{
    public static string Write(ImmutableArray<DnsRecord> records) =>
        JsonOutput.Write(
            new DnsRecordsDocument([.. records.Select(r => new DnsRecordEntry(
                r.Domain.Value,
                r.Kind.ToString().ToLowerInvariant(),
                r.Name,
                DnsRecord.Type,
                r.Value,
                r.Value is null ? null : [.. r.ZoneStrings],
                r.Selector?.Name,
                r.Selector?.State.ToString().ToLowerInvariant(),
                r.Comment))]),
            DnsJsonContext.Default.DnsRecordsDocument, indented: true) + "\n";
}

internal sealed record DnsRecordsDocument(IReadOnlyList<DnsRecordEntry> Records);

internal sealed record DnsRecordEntry(string Domain, string Kind, string Name, string Type, string? Value, IReadOnlyList<string>? Strings, string? Selector, string? State, string Comment);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DnsRecordsDocument))]
internal sealed partial class DnsJsonContext : JsonSerializerContext;
