using System.Collections.Immutable;
using UcsMailConfig.Files;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Plan: compares a rendered tree and its UCR variable settings with what is below a root
/// and with the state of the last apply. Reads files only; runs nothing; changes nothing.
/// With an interrupted apply's journal, plans against what recovering from it would restore
/// (diff and apply --check, which never recover themselves).
/// </summary>
internal static class Planner
{
    /// <summary>
    /// What the last apply recorded: state.json, or its backup in <paramref name="recovering"/>.
    /// Read (and refused when it cannot be trusted) before anything else happens.
    /// </summary>
    public static ApplyState Previous(string root, ApplyJournal? recovering) =>
        recovering is not null && recovering.TryGetSaved(ApplyState.RelativePath, out var saved, out _)
            ? saved is null ? ApplyState.Empty : ApplyState.Parse(saved, Path.Combine(recovering.Location, "files", ApplyState.RelativePath))
            : ApplyState.Load(root);

    public static ApplyPlan Plan(RenderedTree tree, RenderModel model, string root, ApplyState previous, ApplyJournal? recovering)
    {
        (byte[] Content, UnixFileMode Mode)? Read(string relative)
        {
            if (recovering is not null && recovering.TryGetSaved(relative, out var saved, out var savedMode))
            {
                return saved is null ? null : (saved, savedMode);
            }

            return TrustedRead.BytesAndMode(root, relative);
        }

        var registry = UcrLayers.Read(root).WithBase(recovering?.Content.Variables.Select(v => (v.Name, v.Value)) ?? []);

        var files = new List<FileChange>();
        foreach (var file in tree.Files.Values)
        {
            if (Read(file.Path) is not { } current)
            {
                files.Add(new FileChange(file.Path, FileAction.Create, [], file.Content, file.Mode));
            }
            else if (!current.Content.AsSpan().SequenceEqual(file.Content) || current.Mode != file.Mode)
            {
                files.Add(new FileChange(file.Path, FileAction.Update, current.Content, file.Content, file.Mode));
            }
        }

        foreach (var stale in previous.Files.Where(p => !tree.Files.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            if (Read(stale) is { } current)
            {
                files.Add(new FileChange(stale, FileAction.Remove, current.Content, [], 0));
            }
        }

        var desired = model.UcrVariables.ToDictionary(v => v.Name, v => v.Value.Text, StringComparer.Ordinal);
        var variables = new List<VariableChange>();
        var states = new List<UcrVariableState>();
        foreach (var setting in model.UcrVariables.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            // 'ucr set' writes base.conf; a layer above it wins whatever base.conf says.
            var effective = registry.Effective(setting.Name);
            var conflicts = effective is { IsAboveBase: true } && !setting.Value.IsMetBy(effective.Value);
            states.Add(new UcrVariableState(setting.Name, setting.Value.Text, effective, conflicts));
            if (effective is not { IsAboveBase: true } && effective?.Value != setting.Value.Text)
            {
                variables.Add(new VariableChange(setting.Name, registry.In(UcrLayer.Base, setting.Name), setting.Value.Text));
            }
        }

        foreach (var name in previous.Variables.Keys.Where(n => !desired.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            if (registry.In(UcrLayer.Base, name) is { } current)
            {
                variables.Add(new VariableChange(name, current, null));
            }
        }

        var info = TemplateCatalog.OutputPath(TemplateCatalog.Info);
        var infoChange = files.FirstOrDefault(f => f.Path == info);
        var registration = infoChange?.Action switch
        {
            FileAction.Create => RegistrationChange.Register,
            FileAction.Update or FileAction.Remove => RegistrationChange.Update,
            _ => RegistrationChange.None,
        };

        var targets = files.Select(f => UcrTargets.For(f.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (variables.Count > 0)
        {
            targets.Add(UcrTargets.MainCf);
        }

        // A removed template's target is no longer UCR's to generate; only main.cf is rebuilt without it.
        targets.RemoveWhere(t => t != UcrTargets.MainCf && !tree.Files.Keys.Any(p => UcrTargets.For(p) == t));

        return new ApplyPlan(
            [.. files],
            [.. variables],
            [.. states],
            registration,
            [.. targets.Order(StringComparer.Ordinal)],
            [.. model.HashTables.Where(targets.Contains).Order(StringComparer.Ordinal)],
            QueueLifetimeLowered(model, registry),
            new ApplyState([.. tree.Files.Keys], desired))
        {
            OpenDkimStartSettingsChanged = model.OpenDkim is { } openDkim
                ? OpenDkimStartSettings.Changed(root, TemplateCatalog.UcrPath(TemplateCatalog.OpenDkimConf), openDkim.Settings)
                : [],
        };
    }

    /// <summary>A queue lifetime gets shorter than what Postfix uses now (UCS's default while the variable is unset).</summary>
    private static bool QueueLifetimeLowered(RenderModel model, UcrLayers registry) =>
        model.UcrVariables.Any(v =>
            (v.Parameter == StockUcsParameters.MaximalQueueLifetime || v.Parameter == StockUcsParameters.BounceQueueLifetime)
            && v.Value is DurationValue lowered
            && v.Parameter.Effective(registry.Get(v.Name)) is DurationValue now
            && lowered.Seconds < now.Seconds);
}
