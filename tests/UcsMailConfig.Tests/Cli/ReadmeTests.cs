using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// The README's admin path shows what the tool prints: each <c>console</c> block's
/// "# ucs-mail-config validate|dns|diff ..." line is run on a sandbox host (<see cref="ExampleHost"/>),
/// in README order, and its output must match the lines below it, where a line "…" stands for
/// any lines and "…" inside a line for any text. Also: the README's links lead somewhere, and
/// its first two commands are the ones .ci/run runs.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    [Fact]
    public void The_admin_paths_outputs_are_what_the_tool_prints()
    {
        using var host = new ExampleHost();
        var checkedCommands = new List<string>();
        foreach (var (command, expected) in ConsoleSteps())
        {
            if (!Checked().IsMatch(command))
            {
                continue;
            }

            var (result, ranAs) = host.Run(command);
            var actual = string.Concat(result.Stdout.ReplaceLineEndings("\n").Replace(host.Root, "", StringComparison.Ordinal)
                .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => l + "\n"));

            Assert.True(Pattern(expected).IsMatch(actual), $"README: {command}\nran as {ranAs} (exit {result.Exit})\nREADME shows:\n{string.Join('\n', expected)}\nthe tool printed:\n{actual}\n{result.Stderr}");
            checkedCommands.Add(command);
        }

        Assert.Contains(checkedCommands, c => c.StartsWith("ucs-mail-config validate ", StringComparison.Ordinal));
        Assert.Contains(checkedCommands, c => c.StartsWith("ucs-mail-config dns ", StringComparison.Ordinal));
        Assert.Contains(checkedCommands, c => c.StartsWith("ucs-mail-config dns check ", StringComparison.Ordinal));
        Assert.Contains(checkedCommands, c => c.StartsWith("ucs-mail-config diff ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_first_two_commands_are_the_ones_CI_runs()
    {
        var first = Readme[(Readme.IndexOf("```sh\n", StringComparison.Ordinal) + 6)..];
        var commands = first[..first.IndexOf("```", StringComparison.Ordinal)].Trim().Split('\n');

        Assert.Equal(2, commands.Length);
        Assert.StartsWith("dotnet run --project src/UcsMailConfig.Cli -- render ", commands[0], StringComparison.Ordinal);
        Assert.Equal("bash .ci/test-all", commands[1]);
        Assert.Contains("bash .ci/test-all", File.ReadAllText(Path.Combine(RepoPaths.Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/development.md")]
    public void Relative_links_lead_to_files_and_headings_that_exist(string document)
    {
        var file = Path.Combine(RepoPaths.Root, document);
        var text = File.ReadAllText(file);
        foreach (Match link in Link().Matches(text))
        {
            var target = link.Groups[1].Value;
            if (target.Contains("://", StringComparison.Ordinal))
            {
                continue;
            }

            var (path, anchor) = target.Split('#') is [var p, var a] ? (p, a) : (target, null);
            var linked = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
            Assert.True(File.Exists(linked) || Directory.Exists(linked), $"{document} links to {target}, which does not exist");
            if (anchor is not null)
            {
                var anchors = Heading().Matches(File.ReadAllText(linked)).Select(h => Anchor(h.Groups[1].Value));
                Assert.True(anchors.Contains(anchor), $"{document} links to {target}, but {path} has no such heading");
            }
        }
    }

    // The README's console blocks: each "# ucs-mail-config ..." line with the output lines below it.
    private static IEnumerable<(string Command, string[] Output)> ConsoleSteps()
    {
        foreach (Match block in ConsoleBlock().Matches(Readme))
        {
            var lines = block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("# ucs-mail-config ", StringComparison.Ordinal))
                {
                    continue;
                }

                var output = lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("# ucs-mail-config ", StringComparison.Ordinal)).ToArray();
                yield return (lines[i][2..], output);
            }
        }
    }

    // Blank lines are left out on both sides: the README indents its blocks, and an empty line there has no indent.
    private static Regex Pattern(string[] expected)
    {
        var body = string.Concat(expected.Select(line => line == "…" ? "(?:[^\\n]*\\n)*?" : Regex.Escape(line).Replace("…", "[^\\n]*", StringComparison.Ordinal) + "\\n"));
        return new Regex("^" + body + "$", RegexOptions.None, TimeSpan.FromSeconds(10));
    }

    private static string Anchor(string heading) =>
        new([.. heading.ToLowerInvariant().Replace(' ', '-').Where(c => char.IsLetterOrDigit(c) || c is '-' or '_')]);

    [GeneratedRegex("^ucs-mail-config (validate|dns|diff) ")]
    private static partial Regex Checked();

    [GeneratedRegex("```console\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ConsoleBlock();

    [GeneratedRegex("\\]\\(([^)\\s]+)\\)")]
    private static partial Regex Link();

    [GeneratedRegex("^#+ (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
