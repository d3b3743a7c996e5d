// Contract: what `import` found on a host, as data. The policy text with a source comment on
// every value, what it took (with sources), what the policy cannot express, the steps that
// hand the values over to the policy, and the problems that stopped it. Changes nothing.
using System.Collections.Immutable;

namespace UcsMailConfig.Ucs.Import;

/// <summary>Where an imported value came from: a file and line (null for a built-in default) and what kind of source that is.</summary>
public sealed record ImportSource(string? File, int Line, string Kind)
{
    public override string ToString() => File is null ? Kind : Line > 0 ? $"{File}:{Line} ({Kind})" : $"{File} ({Kind})";
}

/// <summary>One value the written policy carries: its key path (dotted), its YAML text, and its source.</summary>
public sealed record ImportedValue(string Key, string Value, ImportSource Source);

/// <summary>Something on the host the policy cannot express, with where it is and why.</summary>
public sealed record LeftOut(string What, ImportSource? Source, string Reason)
{
    public override string ToString() => Source is null ? $"{What}: {Reason}" : $"{What} ({Source}): {Reason}";
}

/// <summary>How import ended: everything taken, something left out, bad input, or a host precondition.</summary>
public enum ImportOutcome
{
    Complete,
    Partial,
    Invalid,
    Refused,
}

/// <summary>
/// What <c>import</c> found. <see cref="Policy"/> is the YAML text (null when <see cref="Errors"/>
/// stopped it); <see cref="Steps"/> say how to hand over from the hand-made setup to the policy.
/// </summary>
public sealed record ImportReport(
    string? Policy,
    ImmutableArray<ImportedValue> Taken,
    ImmutableArray<LeftOut> LeftOut,
    ImmutableArray<string> Steps,
    ImmutableArray<string> Notes,
    ImmutableArray<string> Errors,
    bool Refused)
{
    public ImportOutcome Outcome => Refused ? ImportOutcome.Refused
        : Errors.Length > 0 || Policy is null ? ImportOutcome.Invalid
        : LeftOut.Length > 0 ? ImportOutcome.Partial
        : ImportOutcome.Complete;
}
