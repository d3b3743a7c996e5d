using UcsMailConfig.Cli;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// Every example that --help shows is run, in the order help lists the commands, on a sandbox
/// host (<see cref="ExampleHost"/>): each must do its job (exit 0, or 2 for changes pending)
/// and print something.
/// </summary>
public sealed class HelpExampleTests
{
    [Fact]
    public void Every_help_example_runs_on_a_sandbox_host()
    {
        using var host = new ExampleHost();

        var ran = 0;
        foreach (var path in host.Commands.Keys)
        {
            foreach (var example in Examples(path))
            {
                var (result, ranAs) = host.Run(example);

                // status --check also 1 (WARNING) or 2 (CRITICAL: no OpenDKIM runs here).
                int[] expected = example.Contains("status --check", StringComparison.Ordinal) ? [0, 1, 2] : [0, 2];
                Assert.True(expected.Contains(result.Exit) && result.Stdout.Length > 0, $"{example}\nran as {ranAs}\n{result}");
                ran++;
            }
        }

        Assert.True(ran >= 10, $"only {ran} examples found in --help");
    }

    [Fact]
    public void Every_example_belongs_to_a_command_and_names_it()
    {
        var commands = HelpTree.Commands();
        foreach (var path in HelpExamples.Paths)
        {
            Assert.Contains(path, commands.Keys);
            Assert.All(HelpExamples.For(path), e => Assert.StartsWith($"ucs-mail-config {path} ", e + " ", StringComparison.Ordinal));
        }
    }

    // The lines of the "Examples:" section of the command's --help.
    private static IEnumerable<string> Examples(string path)
    {
        var help = CliRun.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]).Stdout.ReplaceLineEndings("\n");
        return help.Split('\n').SkipWhile(l => l != "Examples:").Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Trim());
    }
}
