using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// The man page the .deb installs (the hidden <c>packaging man-page</c>) covers what --help
/// shows: every command and subcommand, each with every option, read from --help itself rather
/// than from the tree the page is made from; every UCSMAIL_* variable the source names; and it
/// formats without a warning from groff.
/// </summary>
public sealed partial class ManPageTests
{
    private static readonly string Page = Generate();

    private static string Generate()
    {
        var result = CliRun.Run("packaging", "man-page");
        Assert.True(result.Exit == 0, result.ToString());
        return result.Stdout;
    }

    [Fact]
    public void Every_command_and_option_that_help_shows_is_in_the_man_page()
    {
        var commands = HelpTree.Commands();
        Assert.Contains("dns check", commands.Keys);
        Assert.Contains("dkim rotate", commands.Keys);
        foreach (var (path, options) in commands.Where(c => c.Key.Length > 0))
        {
            var section = Section(path);
            Assert.True(section is not null, $"the man page has no section for '{path}'");
            foreach (var option in options.Where(o => o is not ("--help" or "-h" or "-?")))
            {
                Assert.True(section.Contains($"\\fB{Roff(option)}\\fR", StringComparison.Ordinal), $"the man page's '{path}' does not document {option}:\n{section}");
            }
        }
    }

    [Fact]
    public void Options_show_their_value_names_and_defaults()
    {
        Assert.Contains("\\fB\\-\\-format\\fR \\fI<json|plain|zone>\\fR", Section("dns"), StringComparison.Ordinal);
        Assert.Contains("(default: zone)", Section("dns"), StringComparison.Ordinal);
        Assert.Contains("\\fB\\-\\-root\\fR \\fI<DIR>\\fR", Section("apply"), StringComparison.Ordinal);
        Assert.Contains("(default: 60)", Section("apply"), StringComparison.Ordinal);
        Assert.Contains("(required)", Section("dkim keygen"), StringComparison.Ordinal);
    }

    [Fact]
    public void It_has_every_section_an_admin_looks_for()
    {
        var sections = Regex.Matches(Page, "^\\.SH (.+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "ENVIRONMENT", "FILES", "\"EXIT STATUS\"", "\"SEE ALSO\""], sections);
        Assert.Contains(Roff("ucs-mail-config dns check <POLICY> [options]"), Page, StringComparison.Ordinal);
        foreach (var code in new[] { 0, 1, 2, 3, 4, 5, 70 })
        {
            Assert.Contains($".TP\n\\fB{code}\\fR\n", Page, StringComparison.Ordinal);
        }

        Assert.Contains(Roff("mail-policy.schema.json"), Page, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_UCSMAIL_variable_the_source_names_is_in_ENVIRONMENT()
    {
        var environment = Page[Page.IndexOf(".SH ENVIRONMENT", StringComparison.Ordinal)..Page.IndexOf(".SH FILES", StringComparison.Ordinal)];
        var named = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => UcsmailVariable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(ToolPaths.Defaults.All.Select(p => ToolPaths.Variable(p.Name)))
            .Append("NO_COLOR")
            .ToHashSet();

        Assert.Contains("UCSMAIL_DPKG_QUERY", named);
        foreach (var variable in named)
        {
            Assert.True(environment.Contains($"\\fB{Roff(variable)}\\fR", StringComparison.Ordinal), $"ENVIRONMENT does not name {variable}");
        }
    }

    [Fact]
    public void Files_names_state_journal_lock_log_keys_and_templates()
    {
        var files = Page[Page.IndexOf(".SH FILES", StringComparison.Ordinal)..Page.IndexOf(".SH \"EXIT STATUS\"", StringComparison.Ordinal)];

        foreach (var path in new[] { ApplyState.RelativePath, AuditLog.RelativePath, ApplyLock.RelativePath, "var/lib/ucs-mail-config/journal/", "etc/opendkim/keys/DOMAIN/SELECTOR.private", "etc/univention/templates/info/ucs-mail-config.info" })
        {
            Assert.Contains(Roff("/" + path), files, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Groff_formats_it_without_a_warning()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("ucs-mail-config.1");
        File.WriteAllText(file, Page);

        // A line length no path overflows: "cannot adjust line" is about layout, not the page.
        var groff = ExternalProgram.Run("groff", ["-man", "-Tutf8", "-ww", "-z", "-rLL=200n", file]);

        Assert.True(groff.ExitCode == 0 && groff.StdErr.Length == 0, groff.ToString());
    }

    private static string? Section(string path)
    {
        var heading = $".SS \"{Roff($"ucs-mail-config {path}")}\"\n";
        var start = Page.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = Page.IndexOf("\n.S", start + heading.Length, StringComparison.Ordinal);
        return Page[start..end];
    }

    private static string Roff(string text) => text.Replace("-", "\\-", StringComparison.Ordinal);

    // A variable the code reads is named in a string literal (or built by ToolPaths.Variable).
    [GeneratedRegex("\"(UCSMAIL_[A-Z_]*[A-Z])\"")]
    private static partial Regex UcsmailVariable();
}
