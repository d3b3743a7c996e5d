using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Ucs;

/// <summary>How <c>status</c> reads a host: where, with which programs, which DNS server, and how patiently.</summary>
public sealed record StatusOptions(string Root, ToolPaths Tools, IPEndPoint? DnsServer, TimeSpan DnsTimeout, TimeSpan DnsTotal, TimeSpan CommandTimeout)
{
    /// <summary>How long OpenDKIM may take to accept a connection.</summary>
    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Reads a host's state against the policy its last successful apply installed (found in the
/// audit log): the selectors with their keys and DNS records, the policy's Postfix parameters
/// with their effective values, drift, pending changes, an interrupted apply's journal, and
/// whether OpenDKIM answers. Changes nothing and takes no lock; runs postconf, asks DNS within its time bounds and connects to OpenDKIM once.
/// </summary>
internal static class StatusReader
{
    public static HostStatus Read(StatusOptions options)
    {
        var root = Path.GetFullPath(options.Root);
        var unreadable = new List<string>();
        HostStatus Partial(InstalledPolicy? policy, string? journal) => new(policy, [], [], [], 0, journal, null, null, [.. unreadable]);

        ApplyJournal? journal;
        IReadOnlyList<AuditLog.Entry> log;
        try
        {
            journal = ApplyJournal.Pending(root);
            log = AuditLog.Read(root);
        }
        catch (Exception e) when (e is StateRefusedException or IOException or UnauthorizedAccessException)
        {
            unreadable.Add(e.Message);
            return Partial(null, null);
        }

        var journalLocation = journal?.Location;
        if (log.LastOrDefault(e => e.Outcome == "applied") is not { } applied)
        {
            unreadable.Add($"no successful apply is recorded in {Path.Combine(root, AuditLog.RelativePath)}, so there is no installed policy to compare with");
            return Partial(null, journalLocation);
        }

        var installed = new InstalledPolicy(applied.PolicyPath, applied.PolicySha256, applied.Time, log[^1].Time, log[^1].Outcome);
        byte[] content;
        try
        {
            // Outside the root, named by the log: read only if nobody but root or its owner could have replaced it.
            content = Files.TrustedRead.OwnedFile(applied.PolicyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unreadable.Add($"cannot read the installed policy {applied.PolicyPath}: {e.Message}");
            return Partial(installed, journalLocation);
        }

        installed = installed with { ChangedSince = Convert.ToHexStringLower(SHA256.HashData(content)) != applied.PolicySha256 };
        var loaded = content.Length > PolicyLoader.MaxBytes ? PolicyLoader.TooLarge() : PolicyLoader.Load(content);
        if (loaded.Policy is not { } read)
        {
            unreadable.Add($"the installed policy {applied.PolicyPath} is no longer valid: {loaded.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error)?.FormatWithoutSeverity(applied.PolicyPath)}");
            return Partial(installed, journalLocation);
        }

        // Rendered as the apply rendered it, headers naming the same file.
        var policy = read with { Source = PolicyFileName.Of(applied.PolicyPath) };
        var runner = new CommandRunner(options.CommandTimeout);
        var keys = DkimKeyStore.ReadPublicKeys(policy, root);
        // As apply renders it: with this host's mynetworks now, so a change of it shows as a pending change.
        var networks = NetworksHost.Read(policy, root, options.Tools, runner, unreadable, warnings: [], out var networksUnread);
        if (networksUnread is not null)
        {
            unreadable.Add($"{networksUnread.CommandLine} exited {networksUnread.ExitCode}: {networksUnread.Output.ReplaceLineEndings(" ")}");
        }

        // With this host's 70_milter, as apply judges it: one answer from status and apply --check.
        StockMilterTemplate milterTemplate;
        try
        {
            milterTemplate = MilterHost.Template(root);
        }
        catch (Files.UntrustedFileException e)
        {
            unreadable.Add(e.Message);
            return Partial(installed, journalLocation);
        }

        var (model, tree) = RenderedPolicy.Of(policy, keys.Keys, milterTemplate, networks);
        ApplyPlan plan;
        ImmutableArray<Drift> drift = [];
        ImmutableArray<ParameterStatus> parameters = [];
        try
        {
            plan = Planner.Plan(tree, model, root, Planner.Previous(root, journal), journal);
            if (!Files.TrustedRead.Exists(root, "etc/postfix/main.cf"))
            {
                unreadable.Add($"there is no {Path.Combine(root, "etc/postfix/main.cf")}");
            }
            else if (journal is null)
            {
                // Against an interrupted apply's files the comparison says nothing; the journal itself is the finding.
                if (DriftCheck.Find(tree, model, plan, root, options.Tools, runner, out var failed) is { } found)
                {
                    drift = found;
                    parameters = Parameters(model, plan, root, options.Tools, runner, unreadable);
                }
                else
                {
                    unreadable.Add($"{failed!.CommandLine} exited {failed.ExitCode}: {failed.Output.ReplaceLineEndings(" ")}");
                }
            }
        }
        catch (Exception e) when (e is StateRefusedException or Files.UntrustedFileException)
        {
            unreadable.Add(e.Message);
            return Partial(installed, journalLocation);
        }

        var (socket, socketProblem) = model.OpenDkim is null ? (null, null) : OpenDkimProbe.Connect(policy.Dkim.Socket, root, options.SocketTimeout);
        return new HostStatus(installed, Selectors(policy, model, keys, options), parameters, drift,
            plan.Files.Length + plan.Variables.Length, journalLocation, socket, socketProblem, [.. unreadable]);
    }

    private static ImmutableArray<ParameterStatus> Parameters(RenderModel model, ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner, List<string> unreadable)
    {
        var expected = PolicyParameters.Of(model);
        if (PolicyParameters.Effective(root, expected.Select(e => e.Parameter), tools, runner, out var failed) is not { } effective)
        {
            unreadable.Add($"{failed!.CommandLine} exited {failed.ExitCode}: {failed.Output.ReplaceLineEndings(" ")}");
            return [];
        }

        var layers = plan.UcrVariables.ToDictionary(v => v.Name, v => v.Effective?.Layer, StringComparer.Ordinal);
        var fragment = TemplateCatalog.UcrPath(TemplateCatalog.MainCfFragment);
        return [.. expected.Select(e =>
        {
            var value = effective.GetValueOrDefault(e.Parameter, "");
            return e.UcrVariable is { } variable
                ? new ParameterStatus(e.Parameter, e.Value, value, e.IsMetBy(value), $"UCR variable {variable}", layers.GetValueOrDefault(variable))
                : new ParameterStatus(e.Parameter, e.Value, value, e.IsMetBy(value), fragment, null);
        })];
    }

    private static ImmutableArray<SelectorStatus> Selectors(Policy.Model.MailPolicy policy, RenderModel model, PublicKeyReading keys, StatusOptions options)
    {
        var records = model.DnsRecords.Where(r => r.Kind == DnsRecordKind.Dkim && r.Selector is not null).ToList();
        var answers = records.Count == 0 ? []
            : new DnsChecker(options.DnsServer, options.DnsTimeout).Check(records, options.DnsTotal).ToDictionary(r => r.Expected.Name, StringComparer.Ordinal);
        return [.. policy.Domains.SelectMany(domain => (domain.Dkim?.Selectors ?? []).Select(selector =>
        {
            var finding = keys.Findings.FirstOrDefault(f => f.KeyPath == selector.KeyPath);
            var answer = answers.GetValueOrDefault(domain.Name.DkimRecordName(selector.Name));
            return new SelectorStatus(domain.Name.Value, selector.Name, selector.State, DkimKeyStore.PathUnder(options.Root, selector.KeyPath),
                finding?.Problem, finding?.Reason, answer?.Status, answer?.Detail);
        }))];
    }
}
