using System.CommandLine;
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
        var color = ColorOption.Create();
        var command = new Command("diff", "Show what 'apply' would change on the host: a unified diff per file and the UCR variables; the same check as 'apply --check'. Exit 0 when nothing would change, 1 invalid input, 2 when something would change, 5 when apply would refuse (lock held, a program missing, a key or DNS precondition), 70 a bug in the tool.") { policy, color };
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
                stdout.Write(PlanText.Full(plan, ColorOption.Enabled(parse.GetRequiredValue(color), terminal)));
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
}
