using System.Text;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// A plan for a person, in two lengths: <see cref="Full"/> (a unified diff per file, what
/// <c>diff</c> and <c>apply --diff</c> print) and <see cref="Summary"/> (one line per file with
/// its added and removed line counts, what <c>apply</c> prints by default). Both list the drift
/// and the UCR variables. Colour (ANSI: headers bold, hunks cyan, added green, removed red) only
/// when asked; the caller decides with <see cref="ColorOption"/>.
/// </summary>
internal static class PlanText
{
    private const string Bold = "\e[1m", Cyan = "\e[36m", Green = "\e[32m", Red = "\e[31m", Reset = "\e[0m";

    public static string Full(ApplyPlan plan, bool colour)
    {
        var text = new StringBuilder();
        foreach (var file in plan.Files)
        {
            var diff = Diff(file);
            text.Append(diff.Length == 0 ? $"mode of {file.Path} changes to {Convert.ToString((int)file.Mode, 8)}\n"
                : colour ? Paint(diff)
                : diff);
        }

        text.Append(Rest(plan));
        return text.Append(plan.HasChanges
            ? $"{plan.Files.Length} file(s) and {plan.Variables.Length} UCR variable(s) would change{(plan.Drift.Count(d => d.Repairable) is > 0 and var repairs ? $", {repairs} drift(s) be repaired" : "")}; ucr commit {(plan.CommitTargets.Length > 0 ? string.Join(' ', plan.CommitTargets) : "nothing")}\n"
            : "nothing to change\n").ToString();
    }

    /// <summary>The files with their line counts, the drift and the variables; the caller's outcome line says the rest.</summary>
    public static string Summary(ApplyPlan plan)
    {
        var text = new StringBuilder();
        foreach (var file in plan.Files)
        {
            var lines = Diff(file).Split('\n').Skip(2).ToList();
            var (added, removed) = (lines.Count(l => l.StartsWith('+')), lines.Count(l => l.StartsWith('-')));
            text.Append($"{file.Action.ToString().ToLowerInvariant()} /{file.Path} (+{added} -{removed}{(added + removed == 0 ? $", mode {Convert.ToString((int)file.Mode, 8)}" : "")})\n");
        }

        return text.Append(Rest(plan)).ToString();
    }

    private static string Diff(FileChange file) => UnifiedDiff.Create(
        Encoding.UTF8.GetString(file.OldContent), Encoding.UTF8.GetString(file.NewContent),
        file.Action == FileAction.Create ? "/dev/null" : "a/" + file.Path,
        file.Action == FileAction.Remove ? "/dev/null" : "b/" + file.Path);

    // A diff's first two lines are its headers, so a removed line that starts with "--" is still red.
    private static string Paint(string diff)
    {
        var lines = diff.TrimEnd('\n').Split('\n');
        return string.Concat(lines.Select((line, i) => (i < 2 ? Bold
            : line.StartsWith("@@", StringComparison.Ordinal) ? Cyan
            : line.StartsWith('+') ? Green
            : line.StartsWith('-') ? Red
            : null) is { } start ? $"{start}{line}{Reset}\n" : line + "\n"));
    }

    private static string Rest(ApplyPlan plan)
    {
        var text = new StringBuilder();
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

        return text.ToString();
    }
}
