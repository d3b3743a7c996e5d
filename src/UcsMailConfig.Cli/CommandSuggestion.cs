using System.CommandLine;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Cli;

/// <summary>
/// The answer to a word that is not a command where a command is expected: the nearest one,
/// by what the word means (show: status) or by spelling (valdiate: validate), or a subcommand
/// deeper in the tree (keygen: dkim keygen); else the list of commands.
/// </summary>
internal static class CommandSuggestion
{
    /// <summary>Words an admin may type for a command, mapped to its path. A test keeps every path real.</summary>
    public static readonly IReadOnlyDictionary<string, string> Meanings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["show"] = "status", ["info"] = "status", ["state"] = "status", ["monitor"] = "status",
        ["lint"] = "validate", ["test"] = "validate", ["verify"] = "validate",
        ["plan"] = "diff", ["preview"] = "diff",
        ["install"] = "apply", ["deploy"] = "apply", ["commit"] = "apply", ["run"] = "apply",
        ["generate"] = "render", ["build"] = "render", ["template"] = "render",
        ["key"] = "dkim keygen", ["keys"] = "dkim", ["records"] = "dns", ["txt"] = "dns", ["publish"] = "dns",
    };

    /// <summary>The message for an unknown command in <paramref name="parse"/>, or null when there is none.</summary>
    public static string? For(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        if (parse.Errors.Count == 0 || !CommandTree.Subcommands(command).Any() || CommandTree.Arguments(command).Any())
        {
            return null;
        }

        var word = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        if (word is null)
        {
            return null;
        }

        var path = CommandTree.PathOf(command);
        var where = path.Length == 0 ? CommandTree.Tool : $"{CommandTree.Tool} {path}";
        var names = CommandTree.Subcommands(command).Select(c => c.Name).ToArray();
        var suggestion = Nearest(word.ToLowerInvariant(), path, names, root);
        return suggestion is null
            ? $"error: '{Text(word)}' is not a command of {where}; the commands are {string.Join(", ", names)} ('{where} --help' says what each does)"
            : $"error: '{Text(word)}' is not a command of {where}; did you mean '{CommandTree.Tool} {suggestion}'? ('{where} --help' lists the commands)";
    }

    private static string? Nearest(string word, string path, string[] names, RootCommand root)
    {
        var prefix = path.Length == 0 ? "" : path + " ";
        if (NearestName.Find(word, names) is { } spelled)
        {
            return prefix + spelled;
        }

        // A subcommand named without its parent, e.g. keygen for dkim keygen.
        if (CommandTree.Walk(root).Select(c => c.Path).FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.EndsWith(" " + word, StringComparison.Ordinal)) is { } deeper)
        {
            return deeper;
        }

        return path.Length == 0 && Meanings.TryGetValue(word, out var meant) ? meant : null;
    }

    // The word goes into a one-line message: no control characters, not too long.
    private static string Text(string word) => new([.. word.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
}
