using System.Collections.Immutable;

namespace UcsMailConfig.Ucs;

public enum FileAction
{
    Create,
    Update,
    Remove,
}

/// <summary>A file below the root that the apply creates, replaces or removes.</summary>
public sealed record FileChange(string Path, FileAction Action, byte[] OldContent, byte[] NewContent, UnixFileMode Mode);

/// <summary>A UCR variable to set (<see cref="NewValue"/>) or unset (null).</summary>
public sealed record VariableChange(string Name, string? OldValue, string? NewValue);

/// <summary>What UCR must learn about our .info registration.</summary>
public enum RegistrationChange
{
    None,
    Register,
    Update,
}

/// <summary>
/// The difference between a render and a host, and the commands that close it. Computed
/// without running any program, so that an unchanged host costs nothing to check.
/// <see cref="PostmapTargets"/> are the committed targets that Postfix reads as hash tables.
/// </summary>
public sealed record ApplyPlan(
    ImmutableArray<FileChange> Files,
    ImmutableArray<VariableChange> Variables,
    RegistrationChange Registration,
    ImmutableArray<string> CommitTargets,
    ImmutableArray<string> PostmapTargets,
    bool QueueLifetimeLowered,
    ApplyState NewState)
{
    /// <summary>Where the host's effective state differs from the policy (<see cref="DriftCheck"/>).</summary>
    public ImmutableArray<Drift> Drift { get; init; } = [];

    public bool HasChanges => Files.Length > 0 || Variables.Length > 0 || Drift.Any(d => d.Repairable);

    /// <summary>This plan with <paramref name="drift"/>: the generated files a commit repairs join the commit (and postmap) targets.</summary>
    public ApplyPlan WithDrift(ImmutableArray<Drift> drift, IEnumerable<string> hashTables)
    {
        var targets = CommitTargets.Union(drift.Where(d => d.Repairable).Select(d => d.RepairTarget!)).Order(StringComparer.Ordinal).ToImmutableArray();
        return this with { Drift = drift, CommitTargets = targets, PostmapTargets = [.. hashTables.Where(targets.Contains).Order(StringComparer.Ordinal)] };
    }

    /// <summary>main.cf or a table in /etc/postfix changes: check Postfix and reload it.</summary>
    public bool TouchesPostfix => CommitTargets.Any(UcrTargets.IsPostfix);

    public bool TouchesOpenDkim => CommitTargets.Any(UcrTargets.IsOpenDkim);
}
