using System.CommandLine;
using System.Text;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>diff POLICY</c>: what an apply would change on the host, as a unified diff per file and
/// the UCR variables it would set or unset. It is apply's check mode (the same planning and
/// the same refusals, with the same messages and exit codes), printed for a person.
/// Exit 0: nothing would change; 1: invalid input; 2: it would; 5: apply would refuse; 70: a bug.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var planOptions = new PlanOptions();
        var command = new Command("diff", "Show what 'apply' would change on the host: a unified diff per file and the UCR variables; the same check as 'apply --check'. Exit 0 when nothing would change, 1 invalid input, 2 when something would change, 5 when apply would refuse (lock held, a program missing, a key or DNS precondition), 70 a bug in the tool.") { policy };
        planOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (PolicyInput.Load(parse.GetRequiredValue(policy), terminal) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            if (planOptions.Build(parse, loaded, checkOnly: true, stderr, out var optionError) is not { } options)
            {
                stderr.WriteLine($"error: {optionError}");
                return ExitCodes.InvalidInput;
            }

            var report = MailPolicyPipeline.Plan(loaded.Policy, options);
            if (report.Plan is { } plan)
            {
                stdout.Write(Describe(plan));
            }

            foreach (var note in report.Notes)
            {
                stdout.WriteLine($"note: {note}");
            }

            ApplyCommand.WriteProblems(report, stderr);
            return ApplyCommand.ExitCodeOf(report.Outcome);
        });
        return command;
    }

    /// <summary>The plan for a person: diffs, variables, and a one-line summary.</summary>
    public static string Describe(ApplyPlan plan)
    {
        var text = new StringBuilder();
        foreach (var file in plan.Files)
        {
            var old = file.Action == FileAction.Create ? "/dev/null" : "a/" + file.Path;
            var @new = file.Action == FileAction.Remove ? "/dev/null" : "b/" + file.Path;
            var diff = UnifiedDiff.Create(Encoding.UTF8.GetString(file.OldContent), Encoding.UTF8.GetString(file.NewContent), old, @new);
            text.Append(diff.Length > 0 ? diff : $"mode of {file.Path} changes to {Convert.ToString((int)file.Mode, 8)}\n");
        }

        foreach (var drift in plan.Drift)
        {
            text.Append($"drift: {drift}\n");
        }

        foreach (var variable in plan.Variables)
        {
            text.Append(variable.NewValue is null
                ? $"ucr unset {variable.Name}    (was {variable.OldValue})\n"
                : $"ucr set {variable.Name}={variable.NewValue}    (was {variable.OldValue ?? "unset"})\n");
        }

        text.Append(plan.HasChanges
            ? $"{plan.Files.Length} file(s) and {plan.Variables.Length} UCR variable(s) would change{(plan.Drift.Count(d => d.Repairable) is > 0 and var repairs ? $", {repairs} drift(s) be repaired" : "")}; ucr commit {(plan.CommitTargets.Length > 0 ? string.Join(' ', plan.CommitTargets) : "nothing")}\n"
            : "nothing to change\n");
        return text.ToString();
    }
}
