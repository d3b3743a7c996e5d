using System.Text;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Tests.Golden;

/// <summary>
/// Compares a rendered tree with a golden folder; the result is empty when they match. Git
/// keeps only 644 and 755, so the modes are recorded in the golden's <see cref="ModesFile"/>,
/// one "MODE PATH" line per file (octal, in path order), reviewed like the files themselves.
/// </summary>
internal static class GoldenTree
{
    public const string ModesFile = ".modes";

    /// <summary>The <see cref="ModesFile"/> text of <paramref name="tree"/>.</summary>
    public static string Modes(RenderedTree tree) =>
        string.Concat(tree.Files.Values.Select(f => $"{Convert.ToString((int)f.Mode, 8).PadLeft(4, '0')} {f.Path}\n"));

    /// <summary>Writes <paramref name="tree"/> and its modes as a new golden folder (UCSMAIL_ACCEPT).</summary>
    public static void Write(string goldenDir, RenderedTree tree)
    {
        tree.WriteTo(goldenDir);
        File.WriteAllText(Path.Combine(goldenDir, ModesFile), Modes(tree));
    }

    public static string Compare(string goldenDir, RenderedTree tree)
    {
        var golden = Directory.Exists(goldenDir)
            ? Directory.EnumerateFiles(goldenDir, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(goldenDir, f).Replace('\\', '/'))
                .Where(f => f != ModesFile)
                .ToHashSet(StringComparer.Ordinal)
            : [];
        var report = new StringBuilder();
        foreach (var (path, file) in tree.Files)
        {
            if (!golden.Contains(path))
            {
                report.Append("missing from golden: ").Append(path).Append('\n');
                continue;
            }

            var expected = File.ReadAllText(Path.Combine(goldenDir, path));
            var actual = Encoding.UTF8.GetString(file.Content);
            report.Append(UnifiedDiff.Create(expected, actual, $"expected/{path}", $"rendered/{path}"));
        }

        foreach (var path in golden.Where(p => !tree.Files.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            report.Append("extra in golden: ").Append(path).Append('\n');
        }

        var modes = Path.Combine(goldenDir, ModesFile);
        if (!File.Exists(modes))
        {
            report.Append("missing from golden: ").Append(ModesFile).Append('\n');
        }
        else
        {
            report.Append(UnifiedDiff.Create(File.ReadAllText(modes), Modes(tree), $"expected/{ModesFile}", $"rendered/{ModesFile}"));
        }

        return report.ToString();
    }
}
