using System.Text;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// After <c>ucr commit</c>: does the host now run what the policy means? Every Postfix parameter
/// the policy decides (its UCR variables and our fragment's settings) must have, in
/// <c>postconf -c ROOT/etc/postfix -h</c>, a value that means the policy's (compared by the
/// parameter's kind, so Postfix's own spelling of the same value passes), and every generated
/// OpenDKIM file must be exactly our template's output below UCR's header. Returns one line per
/// difference (parameter, expected, actual, and the source that sets it last), empty when all is
/// well. Runs only <c>postconf</c>; changes nothing.
/// </summary>
internal static class EffectiveCheck
{
    public static IReadOnlyList<string> Run(RenderModel model, RenderedTree tree, string root, ToolPaths tools, CommandRunner runner)
    {
        var differences = new List<string>();
        var postfixDirectory = Path.Combine(root, "etc/postfix");
        if (File.Exists(Path.Combine(postfixDirectory, "main.cf")))
        {
            foreach (var expected in PolicyParameters.Of(model))
            {
                var parameter = expected.Parameter;
                var postconf = runner.Run(tools.Postconf, "-c", postfixDirectory, "-h", parameter);
                if (!postconf.Succeeded || postconf.StandardError.Length > 0)
                {
                    differences.Add($"{postconf.CommandLine} exited {postconf.ExitCode}\n{postconf.Output}");
                    continue;
                }

                var actual = postconf.StandardOutput.TrimEnd('\n');
                if (!expected.IsMetBy(actual))
                {
                    differences.Add($"Postfix's {parameter} is '{actual}', but the policy means '{expected.Value}'; {Source(root, parameter)}");
                }
            }
        }

        foreach (var file in tree.Files.Values)
        {
            if (UcrTargets.For(file.Path) is { } target && UcrTargets.IsOpenDkim(target) && !IsGeneratedFrom(Path.Combine(root, target.TrimStart('/')), file.Content))
            {
                differences.Add($"{target} is not what its template {file.Path} generates (changed after 'ucr commit', or generated from something else)");
            }
        }

        return differences;
    }

    /// <summary>
    /// The generated file is the template's text with its first line, UCR's warning marker,
    /// replaced by UCR's header: '#' lines only.
    /// </summary>
    private static bool IsGeneratedFrom(string generated, byte[] template)
    {
        if (!File.Exists(generated))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(template);
        var actual = File.ReadAllText(generated);
        if (!text.StartsWith(UcrTargets.HashWarning, StringComparison.Ordinal))
        {
            return actual == text;
        }

        var body = text[UcrTargets.HashWarning.Length..].TrimStart('\n');
        return actual.EndsWith(body, StringComparison.Ordinal)
            && actual[..^body.Length].Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.StartsWith('#'));
    }

    /// <summary>
    /// Which source sets the parameter last in main.cf: the last main.cf.d fragment (in UCR's
    /// base-name order) whose source sets it, or main.cf.local through 99_local; else a hand edit.
    /// </summary>
    private static string Source(string root, string parameter)
    {
        var mainCf = Path.Combine(root, UcrTargets.MainCf.TrimStart('/'));
        var (line, number) = (0, 0);
        foreach (var text in File.ReadLines(mainCf))
        {
            number++;
            line = MainCfText.Names(text).Contains(parameter) ? number : line;
        }

        string? winner = null;
        var fragments = Path.Combine(root, UcrTargets.MainCfFragments);
        foreach (var fragment in (Directory.Exists(fragments) ? Directory.GetFiles(fragments) : []).Order(StringComparer.Ordinal))
        {
            var local = Path.Combine(root, UcrTargets.MainCfLocal);
            var source = Path.GetFileName(fragment) == UcrTargets.LocalFragment && File.Exists(local) ? local : fragment;
            if (MainCfText.Names(File.ReadAllText(source)).Contains(parameter))
            {
                winner = "/" + Path.GetRelativePath(root, source) + (source == local ? $" (appended by {UcrTargets.LocalFragment})" : "");
            }
        }

        var where = line > 0 ? $"{UcrTargets.MainCf} line {line}" : UcrTargets.MainCf;
        return winner is null ? $"{where} sets it, and no main.cf.d source does (a hand edit of the generated file?)" : $"{where} gets it last from {winner}";
    }
}
