using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>apply POLICY</c>: make the host match the policy, verified by the real tools, or leave it
/// as it was. <c>--check</c> only plans; <c>--json</c> reports for config management. SIGINT
/// and SIGTERM do not kill an apply: it finishes its current step, then rolls back, or completes
/// when only reloads are left, and says which.
/// </summary>
internal static class ApplyCommand
{
    public const string ExitCodeHelp = "Exit 0 applied or unchanged, 1 invalid input, 2 changes pending (--check), 3 failed and rolled back, 4 the rollback failed too, 5 refused before anything changed (lock held, a program missing, a key or DNS precondition), 70 a bug in the tool.";

    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var planOptions = new PlanOptions();
        var check = new Option<bool>("--check") { Description = "Only plan: exit 2 if changes are pending, 0 if not, 5 if apply would refuse; change nothing" };
        var json = new Option<bool>("--json") { Description = "Print a JSON report on stdout (changed, files, variables, commands, errors, warnings)" };
        var diff = new Option<bool>("--diff") { Description = "Print the whole unified diff of each changed file instead of one line per file with its line counts (see also the diff command)" };
        var color = ColorOption.Create();
        var command = new Command("apply", "Apply a policy: check it with the real tools, write the UCR templates, ucr register/set/commit, verify, reload - or roll everything back. " + ExitCodeHelp)
        {
            policy, check, json, diff, color,
        };
        planOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policy);
            var asJson = parse.GetValue(json);
            var diagnostics = new StringWriter();
            var loaded = PolicyInput.Load(path, terminal, diagnostics);
            stderr.Write(diagnostics);
            if (loaded is null)
            {
                if (asJson)
                {
                    stdout.WriteLine(ApplyJson.Invalid(diagnostics.ToString()));
                }

                return ExitCodes.InvalidInput;
            }

            if (planOptions.Build(parse, loaded, parse.GetValue(check), stderr, out var optionError) is not { } options)
            {
                stderr.WriteLine($"error: {optionError}");
                if (asJson)
                {
                    stdout.WriteLine(ApplyJson.Invalid(optionError!));
                }

                return ExitCodes.InvalidInput;
            }

            using var interrupt = new CancellationTokenSource();
            using var sigint = options.CheckOnly ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = options.CheckOnly ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            var report = MailPolicyPipeline.Apply(loaded.Policy, options with { Interrupt = interrupt.Token });
            // A refusal that changed nothing leaves no line either (its log may be what was refused);
            // one after a recovery did change the host.
            if (!options.CheckOnly && (report.Changed || report.Outcome is not (ApplyOutcome.Unchanged or ApplyOutcome.Refused)))
            {
                try
                {
                    AuditLog.Append(options.Root, path == PolicyInput.StandardInput ? loaded.Name : Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(loaded.Content)), report, DateTimeOffset.UtcNow);
                }
                catch (Exception e) when (e is StateRefusedException or IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"error: the apply's line was not logged: {e.Message}");
                }
            }

            var exitCode = ExitCodeOf(report.Outcome);
            if (asJson)
            {
                stdout.WriteLine(ApplyJson.Report(report with { Warnings = [.. loaded.Warnings.Select(w => w.FormatWithoutSeverity(loaded.Name)), .. report.Warnings] }, exitCode));
            }
            else if (!planOptions.Quiet(parse))
            {
                WriteHuman(report, parse.GetValue(diff) ? plan => PlanText.Full(plan, ColorOption.Enabled(parse.GetRequiredValue(color), terminal)) : PlanText.Summary, stdout);
            }

            WriteProblems(report, stderr);
            return exitCode;

            // Every signal, the second too, only asks the apply to stop; the rollback is never cut short.
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stderr.WriteLine($"{context.Signal} received: the current step ends, then everything is put back (or, when only reloads are left, the apply completes)");
                interrupt.Cancel();
            }
        });
        return command;
    }

    public static int ExitCodeOf(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Unchanged or ApplyOutcome.Applied => ExitCodes.Success,
        ApplyOutcome.Pending => ExitCodes.ChangesPending,
        ApplyOutcome.Refused => ExitCodes.Refused,
        ApplyOutcome.RolledBack => ExitCodes.RolledBack,
        ApplyOutcome.RollbackFailed => ExitCodes.RollbackFailed,
        _ => throw new UnreachableException($"no exit code for the outcome {outcome}"),
    };

    /// <summary>The report's warnings and errors on stderr, one "warning:"/"error:" line each.</summary>
    public static void WriteProblems(ApplyReport report, TextWriter stderr)
    {
        foreach (var warning in report.Warnings)
        {
            stderr.WriteLine($"warning: {warning}");
        }

        foreach (var error in report.Errors)
        {
            stderr.WriteLine($"error: {error}");
        }
    }

    // The changes as the admin chose (a line per file, or the whole diff), before what ran.
    private static void WriteHuman(ApplyReport report, Func<ApplyPlan, string> describe, TextWriter stdout)
    {
        if (report.Plan is { HasChanges: true } plan && report.Outcome is ApplyOutcome.Pending or ApplyOutcome.Applied)
        {
            stdout.Write(describe(plan));
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
            ApplyOutcome.Refused => "refused: nothing was changed",
            ApplyOutcome.RolledBack => "failed and rolled back: the previous configuration is in place",
            _ => "FAILED and the rollback failed too: see the errors for what is where",
        });
    }
}
