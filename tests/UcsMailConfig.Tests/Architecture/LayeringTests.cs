using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Architecture;

/// <summary>
/// The data flows one way: a source file may use its own namespace and those listed below it in
/// docs/architecture.md, never one above it. The list is read from the document, so the picture
/// a newcomer reads and the rule the build enforces are the same fact.
/// </summary>
public sealed partial class LayeringTests
{
    [Fact]
    public void No_namespace_uses_one_above_it()
    {
        var ranks = Ranks();
        var violations = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            var own = NamespaceLine().Match(text).Groups[1].Value;
            if (own.Length == 0)
            {
                continue;
            }

            Assert.True(ranks.ContainsKey(own), $"{Relative(file)}: namespace {own} is not in docs/architecture.md's list of layers");
            foreach (var used in UsedNamespaces(text).Where(used => used != own && !own.StartsWith(used + ".", StringComparison.Ordinal)))
            {
                if (!ranks.TryGetValue(used, out var rank))
                {
                    violations.Add($"{Relative(file)}: uses {used}, which is not in docs/architecture.md's list of layers");
                }
                else if (rank >= ranks[own])
                {
                    violations.Add($"{Relative(file)} ({own}) uses {used}, which is {(rank == ranks[own] ? "beside" : "above")} it");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_rule_sees_a_reference_upwards()
    {
        // The check above passes on an empty list too; this proves it reads usings and qualified names.
        const string text = "using UcsMailConfig.Ucs;\nusing static UcsMailConfig.Dns.DnsText;\nnamespace UcsMailConfig.Dkim;\nclass C { UcsMailConfig.Rendering.RenderedTree? t; }";
        Assert.Equal(["UcsMailConfig.Ucs", "UcsMailConfig.Dns", "UcsMailConfig.Rendering"], UsedNamespaces(text));
        var ranks = Ranks();
        Assert.True(ranks["UcsMailConfig.Ucs"] > ranks["UcsMailConfig.Dkim"]);
        Assert.True(ranks["UcsMailConfig.Policy.Values"] < ranks["UcsMailConfig.Policy.Model"]);
    }

    [Fact]
    public void Every_library_folder_is_its_namespace()
    {
        var library = Path.Combine(RepoPaths.Root, "src", "UcsMailConfig");
        var wrong = SourceFiles()
            .Where(file => file.StartsWith(library + "/", StringComparison.Ordinal))
            .Select(file => (file, expected: "UcsMailConfig" + string.Concat(Path.GetRelativePath(library, Path.GetDirectoryName(file)!).Split('/').Where(p => p != ".").Select(p => "." + p)),
                actual: NamespaceLine().Match(File.ReadAllText(file)).Groups[1].Value))
            .Where(entry => entry.actual != entry.expected)
            .Select(entry => $"{Relative(entry.file)}: namespace {entry.actual}, folder says {entry.expected}");
        Assert.True(!wrong.Any(), string.Join("\n", wrong));
    }

    /// <summary>Layer of each namespace, higher numbers higher up; read from docs/architecture.md.</summary>
    private static Dictionary<string, int> Ranks()
    {
        var document = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
        var list = document[(document.IndexOf("<!-- layers -->", StringComparison.Ordinal) + 15)..document.IndexOf("<!-- /layers -->", StringComparison.Ordinal)];
        var lines = list.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("- ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(lines);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var name in lines[i][2..].Split(',', StringSplitOptions.TrimEntries))
            {
                ranks.Add(name, lines.Length - i);
            }
        }

        return ranks;
    }

    private static IEnumerable<string> SourceFiles() =>
        new[] { "UcsMailConfig", "UcsMailConfig.Cli" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal));

    /// <summary>Namespaces a file imports or names in full (comments and strings aside: we only look at using lines and dotted names).</summary>
    private static List<string> UsedNamespaces(string text)
    {
        var used = new List<string>();
        foreach (Match match in UsingLine().Matches(text))
        {
            used.Add(match.Groups[1].Value);
        }

        foreach (Match match in UsingStaticLine().Matches(text))
        {
            // using static A.B.Type: the namespace is A.B.
            used.Add(match.Groups[1].Value[..match.Groups[1].Value.LastIndexOf('.')]);
        }

        foreach (Match match in QualifiedName().Matches(text))
        {
            // UcsMailConfig.A.B.Type: the namespace is every segment that starts a known folder; the type is the last.
            var parts = match.Value.Split('.');
            var name = string.Join('.', parts[..^1]);
            if (!used.Contains(name) && !match.Value.StartsWith("namespace", StringComparison.Ordinal))
            {
                used.Add(name);
            }
        }

        return used;
    }

    private static string Relative(string file) => Path.GetRelativePath(RepoPaths.Root, file);

    [GeneratedRegex(@"^namespace (UcsMailConfig[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (UcsMailConfig[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^using static (UcsMailConfig[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingStaticLine();

    [GeneratedRegex(@"(?<![\w.])(?<!namespace )(?<!using )(?<!using static )UcsMailConfig(?:\.[A-Z]\w*)+\.[A-Z]\w*(?=[^\w.]|$)")]
    private static partial Regex QualifiedName();
}
