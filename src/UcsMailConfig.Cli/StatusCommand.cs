using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
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
        var dnsServer = new Option<string?>("--dns-server") { Description = "IP[:PORT] of the DNS server asked for the selectors' records (default: the system's resolvers)" };
        var dnsTimeout = new Option<int>("--dns-timeout") { Description = "Seconds to wait for each DNS answer (tried twice at most)", DefaultValueFactory = _ => (int)DnsChecker.DefaultTimeout.TotalSeconds };
        var dnsTotal = new Option<int>("--dns-total") { Description = "Seconds all DNS questions may take together", DefaultValueFactory = _ => 10 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds each external program may run", DefaultValueFactory = _ => 60 };
        var command = new Command("status", "Show what the host runs compared with the installed policy: the last apply, selectors with keys and DNS, the policy's Postfix parameters with their effective values, drift, an interrupted apply, whether OpenDKIM answers. Exit 0 when the host could be read, 1 otherwise; with --check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
        {
            json, check, dnsServer, dnsTimeout, dnsTotal, timeout,
        };
        host.AddTo(command);
        command.SetAction(parse =>
        {
            var asCheck = parse.GetValue(check);
            IPEndPoint? server = null;
            var error = parse.GetValue(dnsServer) is { } serverText && !DnsServerAddress.TryParse(serverText, out server) ? $"--dns-server {serverText} is not {DnsServerAddress.Expectation}"
                : parse.GetValue(dnsTimeout) < 1 || parse.GetValue(dnsTotal) < 1 || parse.GetValue(timeout) < 1 ? "--dns-timeout, --dns-total and --timeout must be at least 1 (seconds)"
                : null;
            if (error is not null)
            {
                if (asCheck)
                {
                    stdout.WriteLine($"UNKNOWN: {error}");
                    return (int)MonitoringState.Unknown;
                }

                return InvalidInput.Report(stderr, error);
            }

            var status = MailPolicyPipeline.Status(new StatusOptions(Path.GetFullPath(parse.GetRequiredValue(host.Root)), host.Tools(parse), server,
                TimeSpan.FromSeconds(parse.GetValue(dnsTimeout)), TimeSpan.FromSeconds(parse.GetValue(dnsTotal)), TimeSpan.FromSeconds(parse.GetValue(timeout))));
            var (state, line) = status.Verdict();
            if (asCheck)
            {
                stdout.WriteLine(line.ReplaceLineEndings(" "));
                return (int)state;
            }

            if (parse.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(new StatusJson(status, state.ToString().ToUpperInvariant(), line), StatusJsonContext.Default.StatusJson));
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
