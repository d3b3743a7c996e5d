using System.CommandLine;

namespace UcsMailConfig.Cli;

/// <summary>
/// The <c>ucs-mail-config</c> command line: parses arguments and hands each command to its
/// own small class. Output goes to the given writers so tests can run it in-process.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, new Terminal(Console.In, stdout, stderr)
    {
        OutIsTerminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
        NoColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
    });

    public static int Run(string[] args, Terminal terminal)
    {
        var stderr = terminal.Error;
        var root = Build(terminal);
        root.Add(PackagingCommand.Create(root, terminal.Out));
        try
        {
            var parse = root.Parse(args);
            if (CommandSuggestion.For(parse, root) is { } unknown)
            {
                stderr.WriteLine(unknown);
                return ExitCodes.InvalidInput;
            }

            if (HelpLayout.TryWrite(parse, terminal.Out, stderr))
            {
                return ExitCodes.Success;
            }

            return parse.Invoke(new InvocationConfiguration { Output = terminal.Out, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // A bug, not bad input: one line instead of a stack trace, and a code of its own so a
            // config-management run never mistakes it for "invalid policy" or "rolled back".
            stderr.WriteLine($"ucs-mail-config: internal error: {e.GetType().Name}: {e.Message} (a bug; an interrupted apply is recovered by the next apply)");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The command tree --help, the man page and the completion script are made from.</summary>
    internal static RootCommand Build(Terminal terminal)
    {
        var root = new RootCommand(
            "Validate a declarative mail policy (mail-policy.yaml), render it into UCS Configuration Registry templates for Postfix and OpenDKIM, and apply it with verification and rollback.")
        {
            ValidateCommand.Create(terminal),
            RenderCommand.Create(terminal),
            DiffCommand.Create(terminal),
            ApplyCommand.Create(terminal),
            StatusCommand.Create(terminal),
            ImportCommand.Create(terminal),
            SchemaCommand.Create(terminal.Out),
            new Command("dkim", "DKIM keys: create one (keygen) or start a key rotation (rotate).")
            {
                KeygenCommand.Create(terminal),
                RotateCommand.Create(terminal),
            },
            DnsCommand.Create(terminal),
        };
        return root;
    }
}
