using System.CommandLine;
using System.CommandLine.Help;

namespace UcsMailConfig.Cli;

/// <summary>
/// Reads the command definitions for help, the man page and shell completion: what is shown
/// (hidden symbols and the built-in help/version options are left out), each command's path
/// and its usage lines. A command's usage names its own arguments only: a parent's argument
/// (dns's POLICY) is not repeated before a subcommand (dns check).
/// </summary>
internal static class CommandTree
{
    public const string Tool = "ucs-mail-config";

    /// <summary>Every shown command below <paramref name="command"/>, depth first, each with its path of names.</summary>
    public static IEnumerable<(Command Command, string Path)> Walk(Command command, string path = "")
    {
        foreach (var sub in Subcommands(command))
        {
            var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
            yield return (sub, subPath);
            foreach (var deeper in Walk(sub, subPath))
            {
                yield return deeper;
            }
        }
    }

    /// <summary>The command's names below the tool, e.g. "dns check"; empty for the tool itself.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }

    public static IEnumerable<Command> Subcommands(Command command) => command.Subcommands.Where(c => !c.Hidden);

    /// <summary>The command's own options as help shows them, without --help and --version.</summary>
    public static IEnumerable<Option> Options(Command command) =>
        command.Options.Where(o => !o.Hidden && o is not HelpOption and not VersionOption);

    public static IEnumerable<Argument> Arguments(Command command) => command.Arguments.Where(a => !a.Hidden);

    /// <summary>The names a user types for an option; not the Windows forms (/h) nor -?, a glob character in a shell.</summary>
    public static IEnumerable<string> Names(Option option) => new[] { option.Name }.Concat(option.Aliases).Where(n => n.StartsWith('-') && n != "-?");

    /// <summary>An option's value name, e.g. DIR; null for a flag.</summary>
    public static string? ValueName(Option option) =>
        option.ValueType == typeof(bool) || option is HelpOption or VersionOption ? null : option.HelpName ?? option.Name.TrimStart('-');

    public static string ValueName(Argument argument) => argument.HelpName ?? argument.Name;

    /// <summary>The fixed values an option accepts (e.g. zone, plain, json), else none.</summary>
    public static string[] Choices(Option option) =>
        ValueName(option) is null ? [] : [.. option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label)];

    /// <summary>One line per way to run the command: its own when it has an action, one per subcommand that has one.</summary>
    public static IEnumerable<string> Usage(Command command, string path)
    {
        var prefix = path.Length == 0 ? Tool : $"{Tool} {path}";
        if (command is RootCommand)
        {
            return [$"{Tool} <command> [options]"];
        }

        var lines = new List<string>();
        if (command.Action is not null)
        {
            lines.Add(Line(command, prefix));
        }

        lines.AddRange(Subcommands(command).Where(s => s.Action is not null).Select(s => Line(s, $"{prefix} {s.Name}")));
        return lines.Count > 0 ? lines : [$"{prefix} <command> [options]"];
    }

    private static string Line(Command command, string prefix)
    {
        var parts = new List<string> { prefix };
        parts.AddRange(Arguments(command).Select(a => $"<{ValueName(a)}>"));
        parts.AddRange(Options(command).Where(o => o.Required).Select(o => $"{o.Name} <{ValueName(o)}>"));
        if (Options(command).Any(o => !o.Required))
        {
            parts.Add("[options]");
        }

        return string.Join(' ', parts);
    }
}
