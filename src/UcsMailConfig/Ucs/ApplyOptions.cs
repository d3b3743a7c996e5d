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

    /// <summary>Told once, for a person, when the lock is held and the apply waits for it.</summary>
    public Action<string> Waiting { get; init; } = _ => { };

    /// <summary>
    /// Cancelled when the process is asked to stop (SIGINT, SIGTERM): the apply ends its current
    /// step, then rolls everything back, or completes when only reloads are left.
    /// </summary>
    public CancellationToken Interrupt { get; init; }
}
