using System.Text;
using UcsMailConfig.Files;
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
/// well. Runs only <c>postconf</c>; changes nothing. Host files are read as <see cref="TrustedRead"/> reads.
/// </summary>
internal static class EffectiveCheck
{
    public static IReadOnlyList<string> Run(RenderModel model, RenderedTree tree, string root, ToolPaths tools, CommandRunner runner)
    {
        var differences = new List<string>();
        var postfixDirectory = Path.Combine(root, "etc/postfix");
        if (TrustedRead.Exists(root, UcrTargets.MainCf.TrimStart('/')))
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
            if (UcrTargets.For(file.Path) is { } target && UcrTargets.IsOpenDkim(target) && !IsGeneratedFrom(root, target.TrimStart('/'), file.Content))
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
    private static bool IsGeneratedFrom(string root, string generated, byte[] template)
    {
        if (TrustedRead.Text(root, generated) is not { } actual)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(template);
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
        var (line, number) = (0, 0);
        foreach (var text in TrustedRead.Lines(root, UcrTargets.MainCf.TrimStart('/')))
        {
            number++;
            line = MainCfText.Names(text).Contains(parameter) ? number : line;
        }

        string? winner = null;
        foreach (var name in TrustedRead.FileNames(root, UcrTargets.MainCfFragments))
        {
            var fragment = UcrTargets.MainCfFragments + name;
            var local = name == UcrTargets.LocalFragment && TrustedRead.Exists(root, UcrTargets.MainCfLocal);
            var source = local ? UcrTargets.MainCfLocal : fragment;
            if (MainCfText.Names(TrustedRead.Text(root, source) ?? "").Contains(parameter))
            {
                winner = "/" + source + (local ? $" (appended by {UcrTargets.LocalFragment})" : "");
            }
        }

        var where = line > 0 ? $"{UcrTargets.MainCf} line {line}" : UcrTargets.MainCf;
        return winner is null ? $"{where} sets it, and no main.cf.d source does (a hand edit of the generated file?)" : $"{where} gets it last from {winner}";
    }
}
