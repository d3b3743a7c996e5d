using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// Writes the manual page ucs-mail-config(1) in roff from the same command definitions that
/// --help prints: every shown command and subcommand with its arguments and options (value
/// names and defaults as --help gives them), then ENVIRONMENT, FILES and EXIT STATUS from the
/// types that own those facts. packaging/build-deb.sh runs it through the hidden
/// <c>packaging man-page</c> command; a test checks that nothing of the tree is missing.
/// </summary>
internal static class ManPage
{
    public static void Write(RootCommand root, string version, TextWriter output)
    {
        var page = new List<string>
        {
            $".TH UCS\\-MAIL\\-CONFIG 1 \"\" \"{Roff(CommandTree.Tool)} {Roff(version)}\" \"User Commands\"",
            ".SH NAME",
            $"{Roff(CommandTree.Tool)} \\- check, render and apply a UCS mail server's policy for Postfix, OpenDKIM and DNS",
            ".SH SYNOPSIS",
            ".nf",
        };
        page.AddRange(CommandTree.Walk(root).Where(c => c.Command.Action is not null).SelectMany(c => CommandTree.Usage(c.Command, c.Path).Take(1)).Select(Roff));
        page.Add(".fi");
        page.Add(".SH DESCRIPTION");
        page.AddRange(Paragraphs(root.Description));
        page.Add(".PP");
        page.Add(Roff("The policy is one YAML file (by convention /etc/ucs-mail-config/mail-policy.yaml). Every problem in it is reported at once as FILE:LINE:COL with what would be valid, and nothing is written. diff shows what apply would change; apply makes the host match the policy through UCR (never by editing a stock UCS template), checks the result with the real postfix, postconf and opendkim, reloads the services, and puts everything back when a step fails."));
        page.Add(".SH OPTIONS");
        page.AddRange(root.Options.Where(o => o is HelpOption or VersionOption).SelectMany(OptionItem));
        page.Add(".SH COMMANDS");
        foreach (var (command, path) in CommandTree.Walk(root))
        {
            page.Add($".SS \"{Roff($"{CommandTree.Tool} {path}")}\"");
            page.Add(".nf");
            page.AddRange(CommandTree.Usage(command, path).Select(Roff));
            page.Add(".fi");
            page.Add(".PP");
            page.AddRange(Paragraphs(command.Description));
            foreach (var argument in CommandTree.Arguments(command))
            {
                page.Add(".TP");
                page.Add($"\\fI<{Roff(CommandTree.ValueName(argument))}>\\fR");
                page.Add(Roff(argument.Description ?? ""));
            }

            page.AddRange(CommandTree.Options(command).SelectMany(OptionItem));
            if (HelpExamples.For(path) is { Count: > 0 } examples)
            {
                page.Add(".PP");
                page.Add("Examples:");
                page.Add(".PP");
                page.Add(".nf");
                page.Add(".RS");
                page.AddRange(examples.Select(Roff));
                page.Add(".RE");
                page.Add(".fi");
            }
        }

        page.Add(".SH ENVIRONMENT");
        foreach (var (name, path) in ToolPaths.Defaults.All)
        {
            page.Add(".TP");
            page.Add($"\\fB{Roff(ToolPaths.Variable(name))}\\fR");
            page.Add(Roff($"The path of {name} (default {path}); the option {ToolPaths.Option(name)} wins over it."));
        }

        page.Add(".TP");
        page.Add("\\fBNO_COLOR\\fR");
        page.Add(Roff("When set (to anything), diff and apply print no colour; colour is only ever used on a terminal."));
        page.Add(".SH FILES");
        page.AddRange(FileItem("/etc/ucs-mail-config/mail-policy.yaml", "the policy, by convention; every command takes its path"));
        page.AddRange(FileItem("/usr/share/ucs-mail-config/mail-policy.schema.json", "the JSON Schema of the policy: every key with its description, type and default (ucs-mail-config schema prints it)"));
        page.AddRange(FileItem("/usr/share/ucs-mail-config/examples/", "example policies, each with the files it renders to in expected/"));
        page.AddRange(FileItem("/etc/univention/templates/", "the tool's UCR templates and their registration, written by apply (ucr commit turns each into the file UCS uses):"));
        page.Add(".nf");
        page.AddRange(HostFiles.Templates.Select(template => Roff("/" + template)));
        page.Add(".fi");

        foreach (var entry in HostFiles.Own)
        {
            page.AddRange(FileItem("/" + entry.RelativePath, entry.What));
        }

        page.AddRange(FileItem($"{KeyFolder.Default}/DOMAIN/SELECTOR.private", "DKIM private keys (opendkim:opendkim 0600, in root:opendkim 0750 folders; dkim.key_folder in the policy moves them); never printed"));
        page.Add(".PP");
        page.Add(Roff("Every path is below --root DIR when it is given."));
        page.Add(".SH \"EXIT STATUS\"");
        page.AddRange(ExitItem(ExitCodes.Success, "success, and nothing left to change"));
        page.AddRange(ExitItem(ExitCodes.InvalidInput, "invalid input; nothing was written"));
        page.AddRange(ExitItem(ExitCodes.ChangesPending, "changes pending (diff, apply --check; dns check: records to publish)"));
        page.AddRange(ExitItem(ExitCodes.RolledBack, "apply failed and was rolled back"));
        page.AddRange(ExitItem(ExitCodes.RollbackFailed, "apply failed and the rollback failed too; the errors say exactly what is where"));
        page.AddRange(ExitItem(ExitCodes.Refused, "refused before anything changed: a precondition of the host, not of the policy (the lock held past --lock-wait, a missing program, a key or DNS precondition, a UCR layer above base.conf that wins); diff and apply --check exit 5 too when apply would refuse"));
        page.AddRange(ExitItem(ExitCodes.InternalError, "a bug in the tool (one line names the error); an apply cut short by it is recovered by the next apply"));
        page.Add(".PP");
        page.Add(Roff("status exits 0 when it could read the host, 1 otherwise; status --check follows the monitoring-plugin convention instead: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN."));
        page.Add(".SH \"SEE ALSO\"");
        page.Add(Roff("The policy reference is the JSON Schema, /usr/share/ucs-mail-config/mail-policy.schema.json (ucs-mail-config schema), with the examples beside it; editors with the YAML language server complete and check a policy that names it."));
        page.Add(".PP");
        page.Add(".BR postconf (5),");
        page.Add(".BR postfix (1),");
        page.Add(".BR opendkim (8),");
        page.Add(".BR opendkim.conf (5),");
        page.Add(".BR ucr (8)");
        foreach (var line in page)
        {
            output.Write(line);
            output.Write('\n');
        }
    }

    /// <summary>Text safe for roff: a backslash is an escape, '-' a hyphen, and a line starting with '.' or ''' a request.</summary>
    public static string Roff(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }

    // A description's lines indented by two spaces (examples) keep their line breaks.
    private static IEnumerable<string> Paragraphs(string? description)
    {
        var lines = (description ?? "").Split('\n');
        var inExample = false;
        foreach (var line in lines)
        {
            var example = line.StartsWith("  ", StringComparison.Ordinal);
            if (example != inExample)
            {
                yield return example ? ".PP\n.nf\n.RS" : ".RE\n.fi\n.PP";
                inExample = example;
            }

            yield return line.Length == 0 ? ".PP" : Roff(example ? line.Trim() : line);
        }

        if (inExample)
        {
            yield return ".RE\n.fi";
        }
    }

    private static IEnumerable<string> OptionItem(Option option)
    {
        var names = string.Join(", ", CommandTree.Names(option).OrderBy(n => n.Length).Select(n => $"\\fB{Roff(n)}\\fR"));
        var value = CommandTree.ValueName(option) is not { } name ? ""
            : CommandTree.Choices(option) is { Length: > 0 } choices ? $" \\fI<{Roff(string.Join('|', choices))}>\\fR"
            : $" \\fI<{Roff(name)}>\\fR";
        var facts = new List<string>();
        if (option.Required)
        {
            facts.Add("required");
        }

        if (option.HasDefaultValue && option.ValueType != typeof(bool) && Convert.ToString(option.GetDefaultValue(), CultureInfo.InvariantCulture) is { Length: > 0 } defaultValue)
        {
            facts.Add($"default: {defaultValue}");
        }

        yield return ".TP";
        yield return names + value;
        yield return Roff((option.Description ?? "") + (facts.Count > 0 ? $" ({string.Join("; ", facts)})" : ""));
    }

    private static IEnumerable<string> FileItem(string path, string what) => [".TP", $"\\fI{Roff(path)}\\fR", Roff(what)];

    private static IEnumerable<string> ExitItem(int code, string meaning) => [".TP", $"\\fB{code}\\fR", Roff(meaning)];
}
