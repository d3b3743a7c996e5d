using System.Collections.Immutable;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

public enum FileAction
{
    Create,
    Update,
    Remove,
}

/// <summary>A file below the root that the apply creates, replaces or removes.</summary>
public sealed record FileChange(string Path, FileAction Action, byte[] OldContent, byte[] NewContent, UnixFileMode Mode);

/// <summary>
/// A UCR variable to set (<see cref="NewValue"/>) or unset (null) in base.conf;
/// <see cref="OldValue"/> is base.conf's value, which a rollback restores.
/// </summary>
public sealed record VariableChange(string Name, string? OldValue, string? NewValue);

/// <summary>
/// A UCR variable the policy sets, as the host has it: the value the policy wants, the effective
/// value and its layer. <see cref="Conflicts"/>: a layer above base.conf holds another value, so a
/// plain <c>ucr set</c> (which writes base.conf) would change nothing Postfix reads.
/// </summary>
public sealed record UcrVariableState(string Name, string Desired, UcrEffective? Effective, bool Conflicts)
{
    /// <summary>Why apply refuses, for a conflicting variable: the variable, the layer, both values and the way out.</summary>
    public string Refusal => Effective is { } held
        ? $"the UCR variable {Name} is '{held.Value}' in the {held.Layer.ToString().ToLowerInvariant()} layer (/{UcrLayers.FileOf(held.Layer)}), which wins over base.conf where 'ucr set' would write the policy's '{Desired}'; {UcrLayers.HowToChange(held.Layer, Name)}, then apply again"
        : "";
}

/// <summary>What UCR must learn about our .info registration.</summary>
public enum RegistrationChange
{
    None,
    Register,
    Update,
}

/// <summary>
/// The difference between a render and a host, and the commands that close it. Computed
/// without running any program; the apply then adds the drift that a read-only
/// <c>postconf</c> shows (<see cref="WithDrift"/>), so an unchanged host costs one read.
/// <see cref="PostmapTargets"/> are the committed targets that Postfix reads as hash tables.
/// </summary>
public sealed record ApplyPlan(
    ImmutableArray<FileChange> Files,
    ImmutableArray<VariableChange> Variables,
    ImmutableArray<UcrVariableState> UcrVariables,
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

    /// <summary>The variables a layer above base.conf holds with another value: apply refuses while there is one.</summary>
    public ImmutableArray<UcrVariableState> Conflicts => [.. UcrVariables.Where(v => v.Conflicts)];

    /// <summary>main.cf or a table in /etc/postfix changes: check Postfix and reload it.</summary>
    public bool TouchesPostfix => CommitTargets.Any(UcrTargets.IsPostfix);

    public bool TouchesOpenDkim => CommitTargets.Any(UcrTargets.IsOpenDkim);

    /// <summary>The settings a running OpenDKIM reads only at its start that this apply changes (<see cref="OpenDkimStartSettings"/>).</summary>
    internal ImmutableArray<string> OpenDkimStartSettingsChanged { get; init; } = [];

    /// <summary>What the running OpenDKIM needs: a reload picks up tables, keys and signing settings; only a start-only setting needs a restart.</summary>
    internal OpenDkimAction OpenDkim =>
        !TouchesOpenDkim ? OpenDkimAction.None : OpenDkimStartSettingsChanged.IsEmpty ? OpenDkimAction.Reload : OpenDkimAction.Restart;
}
