using System.Text;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Tests.Golden;

/// <summary>Compares a rendered tree with a golden folder; the result is empty when they match.</summary>
internal static class GoldenTree
{
    public static string Compare(string goldenDir, RenderedTree tree)
    {
        var golden = Directory.Exists(goldenDir)
            ? Directory.EnumerateFiles(goldenDir, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(goldenDir, f).Replace('\\', '/'))
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

        return report.ToString();
    }
}
