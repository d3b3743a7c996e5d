using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dns;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>status [--root DIR] [--json] [--dns-server IP[:PORT]] [--check]</c>: what the host runs
/// compared with the policy its last apply installed (<see cref="StatusReader"/>). Exit 0 when
/// the host could be read, 1 when not; with <c>--check</c> one line and the monitoring-plugin
/// exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) instead.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var host = new HostOptions();
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object" };
        var check = new Option<bool>("--check") { Description = "Print one line and exit as a monitoring plugin does (Icinga, Nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN" };
        var dns = new DnsQuestionOptions();
        var timeout = new Option<int>("--timeout") { Description = "Seconds each external program may run", DefaultValueFactory = _ => 60 };
        var command = new Command("status", "Show what the host runs compared with the installed policy: the last apply, selectors with keys and DNS, the policy's Postfix parameters with their effective values, drift, an interrupted apply, whether OpenDKIM answers. Exit 0 when the host could be read, 1 otherwise; with --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
        {
            json, check, timeout,
        };
        dns.AddTo(command);
        host.AddTo(command);
        command.SetAction(parse =>
        {
            var asCheck = parse.GetValue(check);
            var questions = dns.Build(parse, out var error);
            error ??= parse.GetValue(timeout) < 1 ? "--timeout must be at least 1 (seconds)" : null;
            if (questions is null || error is not null)
            {
                if (asCheck)
                {
                    stdout.WriteLine($"UNKNOWN: {error!}");
                    return (int)MonitoringState.Unknown;
                }

                return InvalidInput.Report(stderr, error!);
            }

            var status = MailPolicyPipeline.Status(new StatusOptions(Path.GetFullPath(parse.GetRequiredValue(host.Root)), host.Tools(parse), questions.Server,
                questions.Timeout, questions.Total, TimeSpan.FromSeconds(parse.GetValue(timeout))));
            var (state, line) = status.Verdict();
            if (asCheck)
            {
                stdout.WriteLine(line.ReplaceLineEndings(" "));
                return (int)state;
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonOutput.Write(new StatusJson(status, state.ToString().ToUpperInvariant(), line), StatusJsonContext.Default.StatusJson));
            }
            else
            {
                WriteHuman(status, stdout);
            }

            foreach (var problem in status.Unreadable)
            {
                stderr.WriteLine($"error: {problem}");
            }

            return status.Unreadable.Length > 0 ? ExitCodes.InvalidInput : ExitCodes.Success;
        });
        return command;
    }

    private static void WriteHuman(HostStatus status, TextWriter stdout)
    {
        if (status.Policy is { } policy)
        {
            stdout.WriteLine($"policy: {policy.Path} (sha256 {policy.Sha256}), applied {Time(policy.AppliedAt)}; last apply {Time(policy.LastApplyAt)}: {policy.LastOutcome}{(policy.ChangedSince ? "; the file changed since it was applied" : "")}");
        }

        stdout.WriteLine(status.PendingJournal is null ? "journal: none" : $"journal: PENDING, an interrupted apply left {status.PendingJournal}; run apply");
        if (status.OpenDkimSocket is not null)
        {
            stdout.WriteLine(status.OpenDkimProblem is null ? $"opendkim: answers on {status.OpenDkimSocket}" : $"opendkim: DOES NOT ANSWER on {status.OpenDkimSocket}: {status.OpenDkimProblem}");
        }

        foreach (var selector in status.Selectors)
        {
            var key = selector.KeyProblem is null ? "key ok" : $"key {selector.KeyProblem.ToString()!.ToUpperInvariant()}: {selector.KeyReason}";
            var dns = selector.Dns switch
            {
                null => "dns not asked",
                DnsCheckStatus.Match => "dns matches",
                DnsCheckStatus.Unanswered => "dns no answer",
                _ => $"dns {selector.Dns.ToString()!.ToUpperInvariant()}: {selector.DnsDetail}",
            };
            stdout.WriteLine($"selector: {selector.Domain} {selector.Selector} {selector.State.ToString().ToLowerInvariant()} {selector.KeyFile}; {key}; {dns}");
        }

        // An unanswering server is one line, naming it, not one per record.
        if (status.Selectors.FirstOrDefault(s => s.Dns == DnsCheckStatus.Unanswered) is { } unanswered)
        {
            stdout.WriteLine($"dns: {unanswered.DnsDetail}");
        }

        foreach (var parameter in status.Parameters)
        {
            stdout.WriteLine($"parameter: {parameter.Parameter} = {parameter.Effective} ({(parameter.Matches ? "as the policy says" : $"DIFFERS, the policy means '{parameter.Expected}'")}; ours via {parameter.WrittenBy}{(parameter.Layer is { } layer ? $", effective from the {layer.ToString().ToLowerInvariant()} layer" : "")})");
        }

        foreach (var drift in status.Drift)
        {
            stdout.WriteLine($"drift: {drift}");
        }

        if (status.PendingChanges > 0)
        {
            stdout.WriteLine($"pending: {status.PendingChanges} change(s) of the installed policy are not applied (see diff)");
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

internal sealed record StatusJson(HostStatus Status, string Check, string CheckLine);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusJson))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
