using System.Collections.Immutable;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dns;

/// <summary>Which of a domain's mail records a <see cref="DnsRecord"/> is.</summary>
public enum DnsRecordKind
{
    Dkim,
    Spf,
    Dmarc,
}

/// <summary>
/// One TXT record the policy asks to publish. <see cref="Name"/> is the owner name without
/// the trailing dot; <see cref="Value"/> is the whole text as one string (the plain form), or
/// null for a DKIM record whose public key was not available; <see cref="ZoneStrings"/> is the
/// same text cut into the at most 255-byte strings of one zone-file record.
/// <see cref="Selector"/> is set for DKIM records.
/// </summary>
public sealed record DnsRecord(DomainName Domain, DnsRecordKind Kind, string Name, string? Value, string Comment, DkimSelector? Selector = null)
{
    public const string Type = "TXT";

    // Computed when asked: render writes no DKIM values and most records are one string.
    public ImmutableArray<string> ZoneStrings => Value is null ? [] : TxtStrings.Split(Value);

    /// <summary>
    /// <see cref="ZoneStrings"/> as they go between a zone-file record's parentheses: quoted, one
    /// per line. Made here rather than joined in the template: a template function call per
    /// record was a sixth of the zone form's time at 10,000 domains.
    /// </summary>
    /// <summary>
    /// The owner name as a zone file writes it: absolute with the trailing dot, or, in the zone of
    /// <paramref name="zone"/>, relative to it (BIND's convention: '@' for the zone's own name).
    /// </summary>
    public string OwnerIn(DomainName? zone) =>
        zone is null ? Name + "."
        : string.Equals(Name, zone.Value, StringComparison.OrdinalIgnoreCase) ? "@"
        : Name.EndsWith("." + zone.Value, StringComparison.OrdinalIgnoreCase) ? Name[..^(zone.Value.Length + 1)]
        : Name + ".";

    public string ZoneValue => string.Join("\n\t", ZoneStrings.Select(TxtStrings.Quote));
}
