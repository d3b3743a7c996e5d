using System.CommandLine;
using System.Security.Cryptography;
using System.Net;
using UcsMailConfig.Dns;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>apply POLICY</c>: make the host match the policy, verified by the real tools, or leave it
/// as it was. <c>--check</c> only plans; <c>--json</c> reports for config management.
/// </summary>
internal static class ApplyCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var host = new HostOptions();
        var check = new Option<bool>("--check") { Description = "Only plan: exit 2 if changes are pending, 0 if not; change nothing" };
        var json = new Option<bool>("--json") { Description = "Print a JSON report on stdout (changed, files, variables, commands, errors)" };
        var lockWait = new Option<int>("--lock-wait") { Description = "Seconds to wait for another apply on the same host to finish", DefaultValueFactory = _ => (int)ApplyLock.DefaultWait.TotalSeconds };
        var timeout = new Option<int>("--timeout") { Description = "Seconds each external program may run", DefaultValueFactory = _ => 120 };
        var generateKeys = new Option<bool>("--generate-keys") { Description = "Create the DKIM keys that pending and active selectors name but that do not exist yet (never over an existing key)" };
        var dnsServer = new Option<string?>("--dns-server") { Description = "IP[:PORT] of the DNS server asked whether a newly active selector's record is published (default: the system's resolvers)" };
        var activateWithoutDns = new Option<bool>("--activate-without-dns") { Description = "Let a selector start signing although DNS does not show its record yet (receivers will fail its signatures)" };
        var command = new Command("apply", "Apply a policy: check it with the real tools, write the UCR templates, ucr register/set/commit, verify, reload - or roll everything back.")
        {
            policy, check, json, lockWait, timeout, generateKeys, dnsServer, activateWithoutDns,
        };
        host.AddTo(command, withTools: true);
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policy);
            var asJson = parse.GetValue(json);
            var diagnostics = new StringWriter();
            if (PolicyInput.Load(path, terminal, asJson ? diagnostics : null) is not { } loaded)
            {
                if (asJson)
                {
                    stdout.WriteLine(ApplyJson.Invalid(diagnostics.ToString()));
                    stderr.Write(diagnostics);
                }

                return ExitCodes.InvalidInput;
            }

            var root = Path.GetFullPath(parse.GetRequiredValue(host.Root));
            IPEndPoint? server = null;
            if (parse.GetValue(dnsServer) is { } serverText && !DnsServerAddress.TryParse(serverText, out server))
            {
                stderr.WriteLine($"error: --dns-server {serverText} is not IP[:PORT]");
                return ExitCodes.InvalidInput;
            }

            var options = new ApplyOptions(root, host.Tools(parse), parse.GetValue(check),
                TimeSpan.FromSeconds(parse.GetValue(lockWait)), TimeSpan.FromSeconds(parse.GetValue(timeout)))
            {
                CrashAfterWrites = int.TryParse(Environment.GetEnvironmentVariable("UCSMAIL_TEST_CRASH_AFTER_WRITES"), out var n) ? n : null,
                PolicyName = loaded.Name,
                GenerateKeys = parse.GetValue(generateKeys),
                DnsServer = server,
                ActivateWithoutDns = parse.GetValue(activateWithoutDns),
                Waiting = message => stderr.WriteLine($"note: {message}"),
            };

            ApplyReport report;
            var untrustedState = false;
            try
            {
                if (!options.CheckOnly)
                {
                    AuditLog.Check(root);
                }

                report = Applier.Apply(loaded.Policy, options);
            }
            catch (StateRefusedException e)
            {
                report = new ApplyReport(ApplyOutcome.Refused, null, [], [e.Message], [], false, TimeSpan.Zero);
                untrustedState = true;
            }

            if (!options.CheckOnly && !untrustedState && report.Outcome != ApplyOutcome.Unchanged)
            {
                try
                {
                    AuditLog.Append(root, path == PolicyInput.StandardInput ? loaded.Name : Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(loaded.Content)), report, DateTimeOffset.UtcNow);
                }
                catch (Exception e) when (e is StateRefusedException or IOException)
                {
                    stderr.WriteLine($"error: the apply's line was not logged: {e.Message}");
                }
            }

            var exitCode = untrustedState ? ExitCodes.Refused : ExitCodeOf(report.Outcome);
            if (asJson)
            {
                stdout.WriteLine(ApplyJson.Report(report, exitCode));
            }
            else
            {
                WriteHuman(report, stdout);
            }

            foreach (var warning in report.Warnings)
            {
                stderr.WriteLine($"warning: {warning}");
            }

            foreach (var error in report.Errors)
            {
                stderr.WriteLine($"error: {error}");
            }

            return exitCode;
        });
        return command;
    }

    private static int ExitCodeOf(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Unchanged or ApplyOutcome.Applied => ExitCodes.Success,
        ApplyOutcome.Pending => ExitCodes.ChangesPending,
        ApplyOutcome.Refused or ApplyOutcome.RolledBack => ExitCodes.RolledBack,
        _ => ExitCodes.RollbackFailed,
    };

    private static void WriteHuman(ApplyReport report, TextWriter stdout)
    {
        if (report.Plan is { } plan && report.Outcome == ApplyOutcome.Pending)
        {
            stdout.Write(DiffCommand.Describe(plan));
        }

        foreach (var record in report.Commands)
        {
            stdout.WriteLine($"ran: {record.CommandLine} (exit {record.ExitCode}, {record.Duration.TotalMilliseconds:0} ms)");
        }

        foreach (var note in report.Notes)
        {
            stdout.WriteLine($"note: {note}");
        }

        stdout.WriteLine(report.Outcome switch
        {
            ApplyOutcome.Unchanged => "unchanged: the host already matches the policy",
            ApplyOutcome.Pending => "changes pending (check mode: nothing was changed)",
            ApplyOutcome.Applied => $"applied: {report.Plan!.Files.Length} file(s), {report.Plan.Variables.Length} UCR variable(s) changed and verified",
            ApplyOutcome.Refused => "failed: nothing was changed",
            ApplyOutcome.RolledBack => "failed and rolled back: the previous configuration is in place",
            _ => "FAILED and the rollback failed too: see the errors for what is where",
        });
    }
}
