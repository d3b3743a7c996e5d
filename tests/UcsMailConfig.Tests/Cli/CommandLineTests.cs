using UcsMailConfig.Cli;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>Usage lines that work when followed literally, and the answer to a command that does not exist.</summary>
public sealed class CommandLineTests
{
    private static readonly string QueueOnly = Path.Combine(RepoPaths.Examples, "queue-only", "mail-policy.yaml");

    [Fact]
    public void Dns_check_help_shows_a_usage_that_works_when_followed()
    {
        var help = CliRun.Run("dns", "check", "--help");

        Assert.Contains("Usage:\n  ucs-mail-config dns check <POLICY> [options]\n", help.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("dns <POLICY> check", help.Stdout, StringComparison.Ordinal);

        // A policy without DNS records: nothing to ask, so no server is needed.
        var run = CliRun.Run("dns", "check", QueueOnly, "--dns-server", "127.0.0.1:1");
        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("0 of 0 record(s) match", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_usage_line_parses_as_the_command_it_belongs_to()
    {
        using var terminal = new StringWriter();
        var root = CliApp.Build(new Terminal(TextReader.Null, terminal, terminal));
        foreach (var (command, path) in CommandTree.Walk(root).Where(c => c.Command.Action is not null))
        {
            var line = CommandTree.Usage(command, path).First();
            var words = line.Split(' ').Skip(1).Where(w => w != "[options]").Select(w => w.StartsWith('<') ? "value" : w).ToArray();

            var parse = root.Parse(words);

            Assert.True(parse.Errors.Count == 0, $"{line}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Same(command, parse.CommandResult.Command);
        }
    }

    [Theory]
    [InlineData("show", "ucs-mail-config status")]
    [InlineData("valdiate", "ucs-mail-config validate")]
    [InlineData("keygen", "ucs-mail-config dkim keygen")]
    [InlineData("plan", "ucs-mail-config diff")]
    public void An_unknown_command_suggests_the_nearest_one(string typed, string suggested)
    {
        var result = CliRun.Run(typed, "mail-policy.yaml");

        Assert.Equal(1, result.Exit);
        Assert.Equal($"error: '{typed}' is not a command of ucs-mail-config; did you mean '{suggested}'? ('ucs-mail-config --help' lists the commands)\n", result.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void An_unknown_subcommand_without_a_near_one_lists_the_commands_there()
    {
        var result = CliRun.Run("dkim", "frobnicate");

        Assert.Equal(1, result.Exit);
        Assert.Contains("'frobnicate' is not a command of ucs-mail-config dkim; the commands are keygen, rotate", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_word_the_suggestion_knows_points_at_a_real_command()
    {
        using var terminal = new StringWriter();
        var paths = CommandTree.Walk(CliApp.Build(new Terminal(TextReader.Null, terminal, terminal))).Select(c => c.Path).ToHashSet();

        foreach (var (word, path) in CommandSuggestion.Meanings)
        {
            Assert.True(paths.Contains(path), $"'{word}' suggests '{path}', which is not a command");
            Assert.False(paths.Contains(word), $"'{word}' is a command of its own");
        }
    }
}
