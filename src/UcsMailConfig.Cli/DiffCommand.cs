using System.CommandLine;
using System.Text;
using UcsMailConfig.Dkim;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>diff POLICY</c>: what an apply would change on the host, as a unified diff per file and
/// the UCR variables it would set or unset. Reads only: with an interrupted apply's journal it
/// warns and plans against what apply's recovery would restore. Exit 0: nothing would change;
/// 2: it would; 5: the tool's own state cannot be trusted.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var host = new HostOptions();
        var command = new Command("diff", "Show what 'apply' would change on the host: a unified diff per file and the UCR variables. Exit 0 when nothing would change, 2 when something would.") { policy };
        host.AddTo(command, withTools: false);
        command.SetAction(parse =>
        {
            if (PolicyInput.Load(parse.GetRequiredValue(policy), terminal) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            // The same keys apply reads, so that diff shows what apply would do; none is created here.
            var root = Path.GetFullPath(parse.GetRequiredValue(host.Root));
            var renderModel = RenderModelDeriver.Derive(loaded.Policy, DkimKeyStore.ReadPublicKeys(loaded.Policy, root).Keys);
            ApplyPlan plan;
            try
            {
                // Like apply --check: the lock only if it exists, and never a recovery, only what it would restore.
                using var shared = ApplyLock.Acquire(root, ApplyLock.DefaultWait, readOnly: true, message => stderr.WriteLine($"note: {message}"));
                var recovering = ApplyJournal.Pending(root);
                if (recovering is not null)
                {
                    stderr.WriteLine($"warning: {ApplyJournal.MustRecover}");
                }

                plan = Planner.Plan(TreeRenderer.Render(renderModel), renderModel, root, Planner.Previous(root, recovering), recovering);
            }
            catch (StateRefusedException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Refused;
            }

            stdout.Write(Describe(plan));
            return plan.HasChanges ? ExitCodes.ChangesPending : ExitCodes.Success;
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

        foreach (var variable in plan.Variables)
        {
            text.Append(variable.NewValue is null
                ? $"ucr unset {variable.Name}    (was {variable.OldValue})\n"
                : $"ucr set {variable.Name}={variable.NewValue}    (was {variable.OldValue ?? "unset"})\n");
        }

        text.Append(plan.HasChanges
            ? $"{plan.Files.Length} file(s) and {plan.Variables.Length} UCR variable(s) would change; ucr commit {(plan.CommitTargets.Length > 0 ? string.Join(' ', plan.CommitTargets) : "nothing")}\n"
            : "nothing to change\n");
        return text.ToString();
    }
}
