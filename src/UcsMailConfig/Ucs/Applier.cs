using System.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Apply: makes a host match a policy, or leaves it as it was. In order: lock; recover from
/// an interrupted apply (check mode only warns and plans against what recovery would
/// restore); read our state; DKIM keys (created on request) and render; refuse a selector whose
/// key or DNS record is missing; plan, and refuse a variable a UCR layer above base.conf holds
/// with another value; compare the effective state (<see cref="DriftCheck"/>: drift in what we
/// generate joins the commit, drift from another source is refused); nothing to do: done; ask dpkg about the
/// S/MIME plugin the policy configures; check the change with the real tools on a staging
/// copy; journal (backups and intent); write our files atomically; <c>ucr register</c>/<c>update</c>,
/// <c>ucr set</c>/<c>unset</c>, <c>ucr commit</c> of exactly the changed targets; <c>postmap</c>
/// the changed tables; check the live result and that Postfix and OpenDKIM now run what the
/// policy means (<see cref="EffectiveCheck"/>); reload what changed; record the new state. Any
/// failure after the journal puts every file, compiled table and variable back (and reloads the
/// services again when the reloads had begun); a rollback that cannot finish is exit 4, never an
/// exception. A refusal after a recovery says that the recovery happened. Every program
/// it runs is checked first, before the lock. An interruption (<see cref="ApplyOptions.Interrupt"/>)
/// takes effect between two steps: before the point of no return (every <c>ucr commit</c> done
/// and the live check passed) everything is put back; after it, the apply completes.
/// </summary>
internal static class Applier
{
    public static ApplyReport Apply(MailPolicy policy, ApplyOptions options)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.Root);
        var runner = new CommandRunner(options.CommandTimeout);
        var errors = new List<string>();
        var warnings = new List<string>();
        var notes = new List<string>();
        void Progress(ApplyStep step, string detail) => options.Progress(new ApplyProgress(step, detail));
        ApplyReport Report(ApplyOutcome outcome, ApplyPlan? plan, bool recovered) =>
            new(outcome, plan, runner.Records, errors, notes, recovered, clock.Elapsed) { Warnings = warnings };

        if (RequiredPrograms.Missing(policy, options.Tools) is { Count: > 0 } missing)
        {
            errors.AddRange(missing);
            return Report(ApplyOutcome.Refused, null, recovered: false);
        }

        // Check mode shares the lock only if it exists, and never recovers: it plans against what recovery would restore.
        ApplyLock? taken;
        try
        {
            taken = ApplyLock.Acquire(root, options.LockWait, readOnly: options.CheckOnly, message => Progress(ApplyStep.LockWait, message), options.Interrupt);
        }
        catch (OperationCanceledException)
        {
            errors.Add("interrupted by a signal while waiting for the lock; nothing was changed");
            return Report(ApplyOutcome.RolledBack, null, recovered: false);
        }

        using var applyLock = taken;

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
            Progress(ApplyStep.Recover, $"an earlier apply was interrupted: restoring the configuration from {interrupted.Location}");
            notes.Add($"an earlier apply was interrupted; restored the configuration from {interrupted.Location}");
            if (Restore(interrupted, root, options.Tools, runner, errors) is false)
            {
                errors.Insert(0, $"recovering from the interrupted apply failed; the backups are in {interrupted.Location}");
                return Report(ApplyOutcome.RollbackFailed, null, recovered: false);
            }

            recovered = true;
            var targets = interrupted.Content.Targets;
            // The old files are back, but the services still run what the interrupted apply left
            // them: the host is not as it was until they reload (DESIGN.md's exit 4).
            // Which OpenDKIM settings the interrupted apply changed is not recorded: a restart takes any.
            if (ServiceControl.Reload(targets.Any(UcrTargets.IsPostfix), targets.Any(UcrTargets.IsOpenDkim) ? OpenDkimAction.Restart : OpenDkimAction.None,
                flushQueue: false, root, options.Tools, runner, notes) is { } reloadFailed)
            {
                errors.Add($"recovered the configuration of the interrupted apply, but reloading it failed: {reloadFailed.CommandLine} exited {reloadFailed.ExitCode}\n{reloadFailed.Output}");
                return Report(ApplyOutcome.RollbackFailed, null, recovered);
            }
        }

        // A refusal from here on comes after a recovery may have changed the host, so it is
        // reported here, with the recovery, rather than as "nothing was changed" by the caller.
        ApplyPlan? plan = null;
        try
        {
            return Change();
        }
        catch (Exception e) when (e is StateRefusedException or Files.UntrustedFileException)
        {
            errors.Add(e.Message);
            return Report(ApplyOutcome.Refused, plan, recovered);
        }

        ApplyReport Change()
        {
            // Our state is trusted (or refused) before anything, a key included, is created.
            var previous = Planner.Previous(root, recovering);

            // Our milters go through the host's 70_milter where it writes them (DESIGN.md rule 2).
            var milterTemplate = MilterHost.Template(root);
            notes.AddRange(MilterHost.ForeignMilters(UcrLayers.Read(root).Dump(), milterTemplate));
            // The signing rule's hosts include Postfix's mynetworks, known only here (docs/mail-flow.md).
            var refusals = errors.Count;
            var networks = NetworksHost.Read(policy, root, options.Tools, runner, errors, warnings, out var networksUnread);
            if (networksUnread is not null)
            {
                errors.Add($"cannot read Postfix's mynetworks: {networksUnread.CommandLine} exited {networksUnread.ExitCode}\n{networksUnread.Output}");
            }

            if (errors.Count > refusals)
            {
                return Report(ApplyOutcome.Refused, null, recovered);
            }

            Progress(ApplyStep.Plan, "comparing the policy's files and UCR variables with the host");
            // A refusal means nothing changed (DESIGN.md exit 5), so the host is judged as check
            // mode judges it (a key apply would create counts as there) before the first key is
            // written; the DNS forms need the new keys, so the judgement is repeated with them.
            var keys = Dkim.DkimKeyStore.ReadPublicKeys(policy, root);
            if (options.GenerateKeys && !options.CheckOnly && keys.Findings.Any(f => f.Problem == Dkim.KeyProblem.Missing))
            {
                List<string> firstWarnings = [], firstNotes = [];
                if (Judge(keys, options with { CheckOnly = true }, firstWarnings, firstNotes, out _) is { } refusedBeforeKeys)
                {
                    warnings.AddRange(firstWarnings);
                    return refusedBeforeKeys;
                }

                plan = null;
                if (DkimReadiness.PrepareKeys(policy, root, options, errors, notes) is not { } created)
                {
                    return Report(ApplyOutcome.Refused, null, recovered);
                }

                keys = created;
            }

            if (Judge(keys, options, warnings, notes, out var rendered) is { } refused)
            {
                return refused;
            }

            var (model, tree) = rendered;
            Debug.Assert(plan is not null, "a judgement that does not refuse has planned");
            if (!plan.HasChanges)
            {
                return Report(ApplyOutcome.Unchanged, plan, recovered);
            }

            if (model.KopanoSmime is not null)
            {
                SmimePluginCheck.Run(options.Tools, runner, warnings, notes);
            }

            Progress(ApplyStep.StagingCheck, "checking the change on a staging copy with the real tools");
            if (StagingCheck.Run(tree, model, root, options.Tools, runner) is { } staged)
            {
                errors.Add($"the new configuration fails its check before anything was changed: {staged.CommandLine} exited {staged.ExitCode}\n{staged.Output}");
                return Report(ApplyOutcome.Refused, plan, recovered);
            }

            // The staging check changes nothing on the host, so check mode predicts its refusal too.
            if (options.CheckOnly)
            {
                return Report(ApplyOutcome.Pending, plan, recovered);
            }

            if (options.Interrupt.IsCancellationRequested)
            {
                errors.Add("interrupted by a signal before anything was changed");
                return Report(ApplyOutcome.RolledBack, plan, recovered);
            }

            ApplyJournal journal;
            Progress(ApplyStep.Journal, $"backing up {plan.Files.Length} file(s), the generated targets and the old UCR values");
            try
            {
                journal = ApplyJournal.Begin(root, plan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cannot back up the files before changing them, so nothing was changed: {e.Message}");
                return Report(ApplyOutcome.Refused, plan, recovered);
            }

            // The rollback runs outside this catch, so that nothing it throws is taken for a
            // failed step and rolled back a second time.
            var servicesTouched = false;
            bool completed;
            try
            {
                completed = Complete(journal, plan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
            {
                errors.Add($"writing failed: {e.Message}");
                completed = false;
            }

            return completed ? Report(ApplyOutcome.Applied, plan, recovered) : RollBack(journal, plan, reload: servicesTouched);

            // Render with these keys, then every read-only check that can refuse: the refusal, or null and the plan set.
            ApplyReport? Judge(Dkim.PublicKeyReading keys, ApplyOptions judging, List<string> judgingWarnings, List<string> judgingNotes, out RenderedPolicy rendered)
            {
                rendered = RenderedPolicy.Of(policy, keys.Keys, milterTemplate, networks);
                var (model, tree) = rendered;
                if (!DkimReadiness.CheckActivation(model, keys, root, judging, errors, judgingWarnings, judgingNotes))
                {
                    return Report(ApplyOutcome.Refused, null, recovered);
                }

                plan = Planner.Plan(tree, model, root, previous, recovering);
                if (plan.Conflicts is { Length: > 0 } conflicts)
                {
                    errors.AddRange(conflicts.Select(c => c.Refusal));
                    return Report(ApplyOutcome.Refused, plan, recovered);
                }

                // Against a journal's restored state the live files say nothing: drift is checked after recovery.
                if (recovering is null)
                {
                    if (DriftCheck.Find(tree, model, plan, root, options.Tools, runner, out var unreadable) is not { } drift)
                    {
                        errors.Add($"cannot read the effective Postfix configuration: {unreadable!.CommandLine} exited {unreadable.ExitCode}\n{unreadable.Output}");
                        return Report(ApplyOutcome.Refused, plan, recovered);
                    }

                    plan = plan.WithDrift(drift, model.HashTables);
                    judgingWarnings.AddRange(drift.Where(d => !d.Repairable && !d.Acts).Select(d => $"drift: {d}"));
                    if (drift.Where(d => !d.Repairable && d.Acts).Select(d => $"drift that a commit cannot repair: {d}").ToList() is { Count: > 0 } winning)
                    {
                        errors.AddRange(winning);
                        return Report(ApplyOutcome.Refused, plan, recovered);
                    }
                }

                return null;
            }

            // The changes, the reloads and the new state; false (the reason in errors) when they must be rolled back.
            bool Complete(ApplyJournal journal, ApplyPlan plan)
            {
                foreach (var (step, run) in Steps(plan, root, options.Tools, runner))
                {
                    if (options.Interrupt.IsCancellationRequested)
                    {
                        errors.Add("interrupted by a signal; the current step was finished, then everything was put back");
                        return false;
                    }

                    options.Progress(step);
                    if (run() is { } failed)
                    {
                        errors.Add($"{failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
                        return false;
                    }
                }

                Progress(ApplyStep.EffectiveCheck, "checking that Postfix and OpenDKIM now run what the policy means");
                if (EffectiveCheck.Run(model, tree, root, options.Tools, runner) is { Count: > 0 } differences)
                {
                    errors.AddRange(differences.Select(d => $"after the commit, the host does not run what the policy means: {d}"));
                    return false;
                }

                // The point of no return: the new configuration is live and checked; only reloads are
                // left, so an interruption from here on lets the apply complete. From the first reload
                // on, the services may run the new configuration, so a rollback reloads them too.
                servicesTouched = true;
                Progress(ApplyStep.Reload, "reloading what changed");
                if (ServiceControl.Apply(plan, root, options.Tools, runner, notes) is { } reloadFailed)
                {
                    errors.Add($"{reloadFailed.CommandLine} exited {reloadFailed.ExitCode}\n{reloadFailed.Output}");
                    return false;
                }

                if (options.Interrupt.IsCancellationRequested)
                {
                    notes.Add("interrupted by a signal after the new configuration was in place and checked; the apply was completed");
                }

                Progress(ApplyStep.Record, "recording the new state");
                StateFiles.Write(root, ApplyState.RelativePath, plan.NewState.ToJson());
                journal.Finish();
                return true;
            }
        }

        ApplyReport RollBack(ApplyJournal journal, ApplyPlan plan, bool reload)
        {
            Progress(ApplyStep.RollBack, $"putting every file and UCR variable back from {journal.Location}");
            if (!Restore(journal, root, options.Tools, runner, errors))
            {
                errors.Add($"ROLLBACK FAILED: the backups of every changed file and the old UCR values are in {journal.Location} (intent.json lists them); the next apply restores them first");
                return Report(ApplyOutcome.RollbackFailed, plan, recovered);
            }

            if (reload && ServiceControl.Reload(plan.TouchesPostfix, plan.OpenDkim, flushQueue: false, root, options.Tools, runner, notes) is { } failed)
            {
                errors.Add($"the old configuration is back in place, but reloading it failed: {failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
                return Report(ApplyOutcome.RollbackFailed, plan, recovered);
            }

            notes.Add("every changed file and UCR variable was put back as it was");
            return Report(ApplyOutcome.RolledBack, plan, recovered);
        }
    }

    /// <summary>
    /// The changing steps up to the point of no return, one at a time so that an interruption
    /// takes effect between two of them: each file write, each <c>ucr</c> call, each
    /// <c>postmap</c>, the live check. Each comes with its progress line; it returns the
    /// command that failed, or null.
    /// </summary>
    private static IEnumerable<(ApplyProgress Step, Func<CommandRecord?> Run)> Steps(ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner)
    {
        foreach (var change in plan.Files)
        {
            yield return change.Action == FileAction.Remove
                ? (new(ApplyStep.Write, $"removing /{change.Path}"), () => { StateFiles.DeleteManaged(root, change.Path); return null; })
                : (new(ApplyStep.Write, $"writing /{change.Path}"), () => { StateFiles.WriteManaged(root, change.Path, change.NewContent, change.Mode); return null; });
        }

        if (plan.Registration == RegistrationChange.Register)
        {
            yield return Ucr(["register", "ucs-mail-config"]);
        }
        else if (plan.Registration == RegistrationChange.Update)
        {
            yield return Ucr(["update"]);
        }

        foreach (var step in SetAndUnset(plan.Variables.Select(v => (v.Name, v.NewValue))))
        {
            yield return Ucr(step);
        }

        if (plan.CommitTargets.Length > 0)
        {
            yield return Ucr(["commit", .. plan.CommitTargets]);
        }

        foreach (var table in plan.PostmapTargets)
        {
            yield return (new(ApplyStep.Postmap, $"postmap {table}"), () => Postmap.Run([table], root, Path.Combine(root, "etc/postfix"), tools, runner));
        }

        yield return (new(ApplyStep.LiveCheck, "checking the committed configuration (postfix check, postconf -n, opendkim -n)"), () => LiveCheck.Run(plan, root, tools, runner));

        (ApplyProgress, Func<CommandRecord?>) Ucr(string[] arguments) =>
            (new(ApplyStep.Ucr, $"ucr {string.Join(' ', arguments)}"), () => runner.Run(tools.Ucr, arguments) is { Succeeded: false } failed ? failed : null);
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
    /// <c>ucr set</c> regenerates targets and the backups are the exact old bytes. Continues past
    /// whatever fails, then says precisely which files and variables are not as they were; the
    /// journal stays for the next apply unless everything is back. Never throws for a file it
    /// cannot read, write or trust: false, with the reason in <paramref name="errors"/>.
    /// </summary>
    private static bool Restore(ApplyJournal journal, string root, ToolPaths tools, CommandRunner runner, List<string> errors)
    {
        journal.RestoreFiles();
        // A failed 'ucr update' leaves UCR's handler cache on the new templates; a failed
        // 'ucr set' shows in the variables checked below.
        var registrationFailed = journal.Content.RegistrationChanged && RollbackStep(["update"]);
        foreach (var step in SetAndUnset(journal.Content.Variables.Select(v => (v.Name, v.Value))))
        {
            RollbackStep(step);
        }

        var notRestored = journal.RestoreFiles().Select(f => $"file {f}").ToList();
        try
        {
            // The journal holds base.conf's old values, the layer 'ucr set' and 'ucr unset' change.
            var registry = UcrLayers.Read(root);
            notRestored.AddRange(journal.Content.Variables
                .Where(v => registry.In(UcrLayer.Base, v.Name) != v.Value)
                .Select(v => $"UCR variable {v.Name} is {Shown(registry.In(UcrLayer.Base, v.Name))} in base.conf, was {Shown(v.Value)}"));
            if (notRestored.Count > 0 || registrationFailed)
            {
                errors.AddRange(notRestored.Select(n => $"rollback: not as before: {n}"));
                return false;
            }

            journal.Finish();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StateRefusedException)
        {
            // Said, not thrown: the caller reports a failed rollback (exit 4) and the journal stays for the next apply.
            errors.AddRange(notRestored.Select(n => $"rollback: not as before: {n}"));
            errors.Add($"rollback: {e.Message}");
            return false;
        }

        static string Shown(string? value) => value is null ? "unset" : $"'{value}'";

        // True when the step failed.
        bool RollbackStep(string[] arguments)
        {
            if (runner.Run(tools.Ucr, arguments) is not { Succeeded: false } failed)
            {
                return false;
            }

            errors.Add($"rollback: {failed.CommandLine} exited {failed.ExitCode}\n{failed.Output}");
            return true;
        }
    }
}
