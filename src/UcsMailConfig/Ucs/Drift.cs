namespace UcsMailConfig.Ucs;

/// <summary>Where a difference between the host and the policy comes from.</summary>
public enum DriftSource
{
    /// <summary>A file UCR generates from our templates was edited by hand; a <c>ucr commit</c> repairs it.</summary>
    HandEdit,

    /// <summary>/etc/postfix/main.cf.local, which UCS's 99_local appends to main.cf last.</summary>
    MainCfLocal,

    /// <summary>A main.cf.d fragment that is neither ours nor a stock one as its package shipped it.</summary>
    OtherFragment,

    /// <summary>A stock UCS template whose bytes differ from its package's original (dpkg's conffile record).</summary>
    ModifiedStockTemplate,
}

/// <summary>
/// One difference between the effective state of the host and the policy, with its source.
/// <see cref="Target"/> is the generated file or Postfix parameter concerned; <see cref="Acts"/>
/// says whether Postfix or OpenDKIM runs with it (or refuses to start cleanly because of it).
/// Only a hand edit of a file we generate is ours to repair; every other source wins over a
/// commit, so apply refuses while it acts.
/// </summary>
public sealed record Drift(DriftSource Source, string Target, string Detail, bool Acts)
{
    /// <summary>The generated file a <c>ucr commit</c> rewrites to repair this drift; null when a commit cannot.</summary>
    public string? RepairTarget { get; init; }

    public bool Repairable => Source == DriftSource.HandEdit && RepairTarget is not null;

    /// <summary>One line for a person: what differs, and where it comes from.</summary>
    public override string ToString() => $"{Target}: {Detail} (source: {SourceText})";

    private string SourceText => Source switch
    {
        DriftSource.HandEdit => $"hand edit of the generated {RepairTarget}; apply commits it again",
        DriftSource.MainCfLocal => "/etc/postfix/main.cf.local, which UCS's 99_local appends last; remove the line there",
        DriftSource.OtherFragment => "another main.cf.d fragment; remove the parameter there",
        _ => "a stock UCS template that differs from its package's original; restore the original (the package's copy, or dpkg's .dpkg-dist)",
    };
}
