using System.CommandLine;
using System.CommandLine.Help;

namespace UcsMailConfig.Cli;

/// <summary>
/// --help as System.CommandLine writes it, with the usage lines of <see cref="CommandTree"/>:
/// its own put a parent's argument before a subcommand (<c>dns &lt;POLICY&gt; check</c>), and
/// its help builder cannot be customised in this version, so the section is replaced in the text.
/// A command's <see cref="HelpExamples"/> close its help.
/// </summary>
internal static class HelpLayout
{
    /// <summary>True when <paramref name="parse"/> asks for help; then the help is written to <paramref name="stdout"/>.</summary>
    public static bool TryWrite(ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        if (parse.Action is not HelpAction)
        {
            return false;
        }

        var help = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
        stdout.Write(WithUsage(help.ToString(), parse.CommandResult.Command));
        return true;
    }

    private static string WithUsage(string help, Command command)
    {
        var lines = help.Split('\n').ToList();
        var start = lines.IndexOf("Usage:");
        if (start < 0)
        {
            return help;
        }

        var end = start + 1;
        while (end < lines.Count && lines[end].StartsWith("  ", StringComparison.Ordinal))
        {
            end++;
        }

        lines.RemoveRange(start + 1, end - start - 1);
        var path = CommandTree.PathOf(command);
        lines.InsertRange(start + 1, CommandTree.Usage(command, path).Select(line => "  " + line));
        if (HelpExamples.For(path) is { Count: > 0 } examples)
        {
            // After the last section, before the text's final line end.
            var at = lines.Count > 0 && lines[^1].Length == 0 ? lines.Count - 1 : lines.Count;
            lines.InsertRange(at, ["Examples:", .. examples.Select(e => "  " + e), ""]);
        }

        return string.Join('\n', lines);
    }
}
