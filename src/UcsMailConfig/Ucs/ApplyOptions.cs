using System.Net;

namespace UcsMailConfig.Ucs;

/// <summary>How an apply runs: where, with which programs, and how patiently.</summary>
public sealed record ApplyOptions(string Root, ToolPaths Tools, bool CheckOnly, TimeSpan LockWait, TimeSpan CommandTimeout)
{
    /// <summary>The policy's name in messages (its path, or &lt;stdin&gt;).</summary>
    public string PolicyName { get; init; } = "mail-policy.yaml";

    /// <summary>Create the keys that pending and active selectors name but that do not exist yet.</summary>
    public bool GenerateKeys { get; init; }

    /// <summary>The DNS server asked whether a selector's record is published; null: the system's resolvers.</summary>
    public IPEndPoint? DnsServer { get; init; }

    /// <summary>Let a selector start signing although DNS does not show its record (loudly).</summary>
    public bool ActivateWithoutDns { get; init; }

    /// <summary>
    /// Told each step as it starts, for a person watching (the lock wait too); the library
    /// prints nothing itself. Called on the applying thread, between steps.
    /// </summary>
    public Action<ApplyProgress> Progress { get; init; } = _ => { };

    /// <summary>
    /// Cancelled when the process is asked to stop (SIGINT, SIGTERM): the apply ends its current
    /// step, then rolls everything back, or completes when only reloads are left.
    /// </summary>
    public CancellationToken Interrupt { get; init; }
}

/// <summary>The steps an apply reports as it takes them (<see cref="ApplyOptions.Progress"/>).</summary>
public enum ApplyStep
{
    LockWait,
    Recover,
    Plan,
    StagingCheck,
    Journal,
    Write,
    Ucr,
    Postmap,
    LiveCheck,
    EffectiveCheck,
    Reload,
    Record,
    RollBack,
}

/// <summary>One step as it starts: which, and what it does, in words for a person.</summary>
public sealed record ApplyProgress(ApplyStep Step, string Detail);
