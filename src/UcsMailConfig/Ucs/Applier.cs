using System.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Apply: makes a host match a policy, or leaves it as it was. In order: lock; recover from
/// an interrupted apply (check mode only warns and plans against what recovery would
/// restore); read our state; DKIM keys (created on request) and render; refuse a selector whose
/// key or DNS record is missing; plan (nothing to do: done, no program run); ask dpkg about the
/// S/MIME plugin the policy configures; check the change with the real tools on a staging
/// copy; journal (backups and intent); write our files atomically; <c>ucr register</c>/<c>update</c>,
/// <c>ucr set</c>/<c>unset</c>, <c>ucr commit</c> of exactly the changed targets; <c>postmap</c>
/// the changed tables; check the live result; reload what changed; record the new state. Any
/// failure after the journal puts every file, compiled table and variable back.
/// </summary>
public static class Applier
{
    public static ApplyReport Apply(MailPolicy policy, ApplyOptions options)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.Root);
        var environment = new Dictionary<string, string?>();
        if (root != "/")
        {
            // Lets a test stand-in for ucr know its root; real ucr ignores the variable.
            environment["UCR_ROOT"] = root;
        }

        var runner = new CommandRunner(options.CommandTimeout, environment);
        var errors = new List<string>();
        var warnings = new List<string>();
        var notes = new List<string>();
        ApplyReport Report(ApplyOutcome outcome, ApplyPlan? plan, bool recovered) =>
            new(outcome, plan, runner.Records, errors, notes, recovered, clock.Elapsed) { Warnings = warnings };

        // Check mode shares the lock only if it exists, and never recovers: it plans against what recovery would restore.
        using var applyLock = ApplyLock.Acquire(root, options.LockWait, readOnly: options.CheckOnly, options.Waiting);

        var recovered = false;
        ApplyJournal? recovering = null;
        var pending = ApplyJournal.Pending(root);
        if (pending is not null && options.CheckOnly)
        {
            warnings.Add(ApplyJournal.MustRecover);
            recovering = pending;
        }
        else if (pending is { } interrupted)
        {
            notes.Add($"an earlier apply was interrupted; restored the configuration from {interrupted.Location}");
            if (Restore(interrupted, root, options.Tools, runner, errors) is false)
            {
                errors.Insert(0, $"recovering from the interrupted apply failed; the backups are in {interrupted.Location}");
                return Report(ApplyOutcome.RollbackFailed, null, recovered: false);
            }

            recovered = true;
            var targets = interrupted.Content.Targets;
            ServiceControl.Reload(targets.Any(UcrTargets.IsPostfix), targets.Any(UcrTargets.IsOpenDkim),
                flushQueue: false, root, options.Tools, runner, notes);
        }

        // Our state is trusted (or refused) before anything, a key included, is created.
        var previous = Planner.Previous(root, recovering);
        var keys = DkimReadiness.PrepareKeys(policy, root, options, notes);
        var model = RenderModelDeriver.Derive(policy, keys.Keys);
        var tree = TreeRenderer.Render(model);
        if (!DkimReadiness.CheckActivation(model, keys, root, options, errors, warnings, notes))
        {
            return Report(ApplyOutcome.Refused, null, recovered);
        }

        var plan = Planner.Plan(tree, model, root, previous, recovering);
        if (!plan.HasChanges)
        {
            return Report(ApplyOutcome.Unchanged, plan, recovered);
        }

        if (model.KopanoSmime is not null)
        {
            SmimePluginCheck.Run(options.Tools, runner, warnings, notes);
        }

        if (options.CheckOnly)
        {
            return Report(ApplyOutcome.Pending, plan, recovered);
        }

        if (StagingCheck.Run(tree, model, root, options.Tools, runner) is { } staged)
        {
            errors.Add($"the new configuration fails its check before anything was changed: {staged.CommandLine} exited {staged.ExitCode}\n{staged.Output}");
            return Report(ApplyOutcome.Refused, plan, recovered);
        }

        ApplyJournal journal;
        try
        {
            journal = ApplyJournal.Begin(root, plan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cannot back up the files before changing them, so nothing was changed: {e.Message}");
            return Report(ApplyOutcome.Refused, plan, recovered);
        }

        var servicesTouched = false;
        try
        {
            WriteFiles(plan, root, options.CrashAfterWrites);
            var failed = Ucr(plan, options.Tools.Ucr, runner)
                ?? Postmap.Run(plan.PostmapTargets, root, Path.Combine(root, "etc/postfix"), options.Tools, runner)
                ?? LiveCheck.Run(plan, root, options.Tools, runner);
            if (failed is null)
            {
                servicesTouched = true;
                failed = ServiceControl.Apply(plan, root, options.Tools, runner, notes);
            }

            if (failed is not null)
            {
                errors.Add($"{failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
                return RollBack(journal, plan, servicesTouched);
            }

            StateFiles.Write(root, ApplyState.RelativePath, plan.NewState.ToJson());
            journal.Finish();
            return Report(ApplyOutcome.Applied, plan, recovered);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
        {
            errors.Add($"writing failed: {e.Message}");
            return RollBack(journal, plan, servicesTouched);
        }

        ApplyReport RollBack(ApplyJournal journal, ApplyPlan plan, bool reload)
        {
            if (!Restore(journal, root, options.Tools, runner, errors))
            {
                errors.Add($"ROLLBACK FAILED: the backups of every changed file and the old UCR values are in {journal.Location} (intent.json lists them); the next apply restores them first");
                return Report(ApplyOutcome.RollbackFailed, plan, recovered);
            }

            if (reload && ServiceControl.Reload(plan.TouchesPostfix, plan.TouchesOpenDkim, flushQueue: false, root, options.Tools, runner, notes) is { } failed)
            {
                errors.Add($"the old configuration is back in place, but reloading it failed: {failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
                return Report(ApplyOutcome.RollbackFailed, plan, recovered);
            }

            notes.Add("every changed file and UCR variable was put back as it was");
            return Report(ApplyOutcome.RolledBack, plan, recovered);
        }
    }

    private static void WriteFiles(ApplyPlan plan, string root, int? crashAfterWrites)
    {
        var writes = 0;
        foreach (var change in plan.Files)
        {
            var path = Path.Combine(root, change.Path);
            if (change.Action == FileAction.Remove)
            {
                AtomicFile.Delete(path);
            }
            else
            {
                StateFiles.WriteManaged(root, change.Path, change.NewContent, change.Mode);
            }

            if (++writes == crashAfterWrites)
            {
                Process.GetCurrentProcess().Kill();
            }
        }
    }

    private static CommandRecord? Ucr(ApplyPlan plan, string ucr, CommandRunner runner)
    {
        var steps = new List<string[]>();
        if (plan.Registration == RegistrationChange.Register)
        {
            steps.Add(["register", "ucs-mail-config"]);
        }
        else if (plan.Registration == RegistrationChange.Update)
        {
            steps.Add(["update"]);
        }

        steps.AddRange(SetAndUnset(plan.Variables.Select(v => (v.Name, v.NewValue))));
        if (plan.CommitTargets.Length > 0)
        {
            steps.Add(["commit", .. plan.CommitTargets]);
        }

        return steps.Select(step => runner.Run(ucr, step)).FirstOrDefault(r => !r.Succeeded);
    }

    /// <summary>One <c>ucr set</c> for the values, one <c>ucr unset</c> for the nulls; none when empty.</summary>
    private static IEnumerable<string[]> SetAndUnset(IEnumerable<(string Name, string? Value)> variables)
    {
        var list = variables.ToList();
        if (list.Where(v => v.Value is not null).Select(v => $"{v.Name}={v.Value}").ToArray() is { Length: > 0 } set)
        {
            yield return ["set", .. set];
        }

        if (list.Where(v => v.Value is null).Select(v => v.Name).ToArray() is { Length: > 0 } unset)
        {
            yield return ["unset", .. unset];
        }
    }

    /// <summary>
    /// Puts the journal's files and variables back: files first (so UCR regenerates from the
    /// old templates), then UCR's registration and variables, then the files once more, since
    /// <c>ucr set</c> regenerates targets and the backups are the exact old bytes.
    /// </summary>
    private static bool Restore(ApplyJournal journal, string root, ToolPaths tools, CommandRunner runner, List<string> errors)
    {
        try
        {
            journal.RestoreFiles();
            var steps = new List<string[]>();
            if (journal.Content.RegistrationChanged)
            {
                steps.Add(["update"]);
            }

            steps.AddRange(SetAndUnset(journal.Content.Variables.Select(v => (v.Name, v.Value))));

            foreach (var step in steps)
            {
                if (runner.Run(tools.Ucr, step) is { Succeeded: false } failed)
                {
                    errors.Add($"rollback: {failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
                    return false;
                }
            }

            journal.RestoreFiles();
            journal.Finish();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
        {
            errors.Add($"rollback: restoring files failed: {e.Message}");
            return false;
        }
    }
}
