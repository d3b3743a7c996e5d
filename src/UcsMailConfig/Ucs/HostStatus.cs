using System.Collections.Immutable;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>The policy the last successful apply installed, and the last apply of any outcome.</summary>
public sealed record InstalledPolicy(string Path, string Sha256, DateTimeOffset AppliedAt, DateTimeOffset LastApplyAt, string LastOutcome)
{
    /// <summary>The file at <see cref="Path"/> no longer has the applied content.</summary>
    public bool ChangedSince { get; init; }
}

/// <summary>One selector: its state in the policy, its key file and whether OpenDKIM could use it, and what DNS shows.</summary>
public sealed record SelectorStatus(string Domain, string Selector, SelectorState State, string KeyFile, KeyProblem? KeyProblem, string? KeyReason, DnsCheckStatus? Dns, string? DnsDetail);

/// <summary>
/// A Postfix parameter the policy decides: the value it means, the one Postfix has, where ours
/// is written, and for a UCR-backed one the layer its effective value comes from.
/// </summary>
public sealed record ParameterStatus(string Parameter, string Expected, string Effective, bool Matches, string WrittenBy, UcrLayer? Layer);

public enum MonitoringState
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

/// <summary>
/// What <c>status</c> found on a host. <see cref="Unreadable"/> lists why the host could not be
/// read (then the rest may be incomplete); <see cref="Verdict"/> is the monitoring-plugin view.
/// </summary>
public sealed record HostStatus(
    InstalledPolicy? Policy,
    ImmutableArray<SelectorStatus> Selectors,
    ImmutableArray<ParameterStatus> Parameters,
    ImmutableArray<Drift> Drift,
    int PendingChanges,
    string? PendingJournal,
    string? OpenDkimSocket,
    string? OpenDkimProblem,
    ImmutableArray<string> Unreadable)
{
    /// <summary>The worst finding's state and one line naming the findings of that state (OK: a short summary).</summary>
    public (MonitoringState State, string Line) Verdict()
    {
        if (Unreadable.Length > 0)
        {
            return (MonitoringState.Unknown, $"UNKNOWN: {string.Join("; ", Unreadable)}");
        }

        var critical = new List<string>();
        var warning = new List<string>();
        if (PendingJournal is not null)
        {
            critical.Add($"an interrupted apply is pending ({PendingJournal}); run apply");
        }

        critical.AddRange(Parameters.Where(p => !p.Matches).Select(p => $"{p.Parameter} is '{p.Effective}', the policy means '{p.Expected}'"));
        critical.AddRange(Drift.Where(d => d.Acts && !Parameters.Any(p => p.Parameter == d.Target && !p.Matches)).Select(d => d.ToString()));
        if (OpenDkimProblem is not null)
        {
            critical.Add($"OpenDKIM does not answer on {OpenDkimSocket}: {OpenDkimProblem}");
        }

        foreach (var selector in Selectors)
        {
            var name = $"selector {selector.Selector} of {selector.Domain}";
            if (selector.State == SelectorState.Active && selector.KeyProblem is not (null or Dkim.KeyProblem.Weak))
            {
                critical.Add($"{name} is active but its key is unusable: {selector.KeyReason}");
            }
            else if (selector.State == SelectorState.Active && selector.Dns is not (null or DnsCheckStatus.Match))
            {
                critical.Add($"{name} is active but DNS differs: {selector.DnsDetail}");
            }
            else if (selector.State == SelectorState.Pending && selector.Dns is not (null or DnsCheckStatus.Match))
            {
                warning.Add($"{name} is pending and not yet in DNS: {selector.DnsDetail}");
            }
        }

        warning.AddRange(Drift.Where(d => !d.Acts).Select(d => d.ToString()));
        warning.AddRange(Parameters.Where(p => p.Matches && p.Layer < UcrLayer.Base)
            .Select(p => $"{p.WrittenBy} holds the policy's value in the {p.Layer.ToString()!.ToLowerInvariant()} layer, so a change of the policy would not reach Postfix"));
        if (PendingChanges > 0)
        {
            warning.Add($"{PendingChanges} change(s) of the installed policy not applied (see diff)");
        }

        if (Policy?.ChangedSince == true)
        {
            warning.Add($"{Policy.Path} changed since it was applied");
        }

        return critical.Count > 0 ? (MonitoringState.Critical, $"CRITICAL: {string.Join("; ", critical)}")
            : warning.Count > 0 ? (MonitoringState.Warning, $"WARNING: {string.Join("; ", warning)}")
            : (MonitoringState.Ok, $"OK: {Parameters.Length} parameter(s) and {Selectors.Length} selector(s) as {Policy?.Path} says{(OpenDkimSocket is null ? "" : $", OpenDKIM answers on {OpenDkimSocket}")}");
    }
}
