using System.Collections.Immutable;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Plan: compares a rendered tree and its UCR variable settings with what is below a root
/// and with the state of the last apply. Reads files only; runs nothing; changes nothing.
/// </summary>
public static class Planner
{
    public static ApplyPlan Plan(RenderedTree tree, RenderModel model, string root)
    {
        var previous = ApplyState.Load(root);
        var registry = UcrRegistryFile.Read(root);

        var files = new List<FileChange>();
        foreach (var file in tree.Files.Values)
        {
            var path = Path.Combine(root, file.Path);
            if (!File.Exists(path))
            {
                files.Add(new FileChange(file.Path, FileAction.Create, [], file.Content, file.Mode));
            }
            else if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(file.Content) || File.GetUnixFileMode(path) != file.Mode)
            {
                files.Add(new FileChange(file.Path, FileAction.Update, File.ReadAllBytes(path), file.Content, file.Mode));
            }
        }

        foreach (var stale in previous.Files.Where(p => !tree.Files.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(root, stale);
            if (File.Exists(path))
            {
                files.Add(new FileChange(stale, FileAction.Remove, File.ReadAllBytes(path), [], 0));
            }
        }

        var desired = model.UcrVariables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var variables = new List<VariableChange>();
        foreach (var (name, value) in desired.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var current = registry.GetValueOrDefault(name);
            if (current != value)
            {
                variables.Add(new VariableChange(name, current, value));
            }
        }

        foreach (var name in previous.Variables.Keys.Where(n => !desired.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            if (registry.TryGetValue(name, out var current))
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
            registration,
            [.. targets.Order(StringComparer.Ordinal)],
            [.. model.HashTables.Where(targets.Contains).Order(StringComparer.Ordinal)],
            QueueLifetimeLowered(variables),
            new ApplyState([.. tree.Files.Keys], desired));
    }

    private static bool QueueLifetimeLowered(IEnumerable<VariableChange> variables)
    {
        var lifetimes = new[] { "maximal_queue_lifetime", "bounce_queue_lifetime" }
            .Select(p => StockUcsParameters.Find(p)!.UcrVariable).ToHashSet(StringComparer.Ordinal);

        // An unset variable means UCS's default of 5 days; a number alone is days for both lifetimes.
        static long Seconds(string? value) => value is not null && PostfixDuration.TryParse(value, out var d, unitlessAs: 'd') ? d.Seconds : 5 * 86400;

        return variables.Any(v => lifetimes.Contains(v.Name) && Seconds(v.NewValue) < Seconds(v.OldValue));
    }
}
