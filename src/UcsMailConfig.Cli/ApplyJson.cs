using System.Text.Json.Serialization;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// The <c>apply --json</c> report for config management: one JSON object on stdout. Written
/// with source-generated serializers (no reflection, NativeAOT-clean).
/// </summary>
internal static class ApplyJson
{
    public static string Report(ApplyReport report, int exitCode) => JsonOutput.Write(new JsonReport(
        report.Changed,
        report.Outcome.ToString().ToLowerInvariant(),
        exitCode,
        [.. report.Plan?.Files.Select(f => new JsonFile(f.Path, f.Action.ToString().ToLowerInvariant())) ?? []],
        [.. report.Plan?.Variables.Select(v => new JsonVariable(v.Name, v.OldValue, v.NewValue)) ?? []],
        [.. report.Plan?.UcrVariables.Select(v => new JsonUcrVariable(v.Name, v.Desired, v.Effective?.Value, v.Effective?.Layer.ToString().ToLowerInvariant(), v.Conflicts)) ?? []],
        [.. report.Commands.Select(c => new JsonCommand([c.Program, .. c.Arguments], c.ExitCode, (long)c.Duration.TotalMilliseconds, c.Succeeded ? null : c.Output))],
        report.Errors,
        report.Warnings,
        report.Notes,
        report.RecoveredInterruptedApply)
    {
        Drift = [.. report.Plan?.Drift.Select(d => d.ToString()) ?? []],
    }, ApplyJsonContext.Default.JsonReport);

    public static string Invalid(string diagnostics) => JsonOutput.Write(new JsonReport(
        false, "invalid", ExitCodes.InvalidInput, [], [], [], [],
        [.. diagnostics.Split('\n', StringSplitOptions.RemoveEmptyEntries)], [], [], false), ApplyJsonContext.Default.JsonReport);
}

internal sealed record JsonReport(
    bool Changed,
    string Outcome,
    int ExitCode,
    IReadOnlyList<JsonFile> Files,
    IReadOnlyList<JsonVariable> Variables,
    IReadOnlyList<JsonUcrVariable> UcrVariables,
    IReadOnlyList<JsonCommand> Commands,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notes,
    bool RecoveredInterruptedApply)
{
    /// <summary>Each drift found, with its source (<see cref="Ucs.Drift"/>).</summary>
    public IReadOnlyList<string> Drift { get; init; } = [];
}

internal sealed record JsonFile(string Path, string Action);

internal sealed record JsonVariable(string Name, string? Old, string? New);

/// <summary>A UCR variable the policy sets: its effective value, the layer that holds it, and whether that layer overrides the policy.</summary>
internal sealed record JsonUcrVariable(string Name, string Policy, string? Effective, string? Layer, bool Conflicts);

internal sealed record JsonCommand(IReadOnlyList<string> Command, int ExitCode, long DurationMs, string? Output);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonReport))]
internal sealed partial class ApplyJsonContext : JsonSerializerContext;
