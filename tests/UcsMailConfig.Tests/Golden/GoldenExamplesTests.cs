using System.Text;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Golden;

/// <summary>
/// Every examples/NAME/mail-policy.yaml renders to exactly examples/NAME/expected/, bytes and
/// modes (expected/.modes). On a mismatch the failure shows a unified diff per changed file and
/// names missing and extra files. Set UCSMAIL_ACCEPT=1 to rewrite the goldens, then review them like any other change
/// (under CI the variable fails the test instead).
/// </summary>
public sealed class GoldenExamplesTests
{
    public static IReadOnlyList<string> ExampleNames() =>
        [.. Directory.GetDirectories(RepoPaths.Examples).Order(StringComparer.Ordinal)
            .Where(dir => File.Exists(Path.Combine(dir, "mail-policy.yaml")))
            .Select(Path.GetFileName)
            .OfType<string>()];

    public static TheoryData<string> Examples() => new(ExampleNames());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_renders_to_its_golden_tree(string example)
    {
        var dir = Path.Combine(RepoPaths.Examples, example);
        var tree = Render(Path.Combine(dir, "mail-policy.yaml"));
        var expectedDir = Path.Combine(dir, "expected");

        if (GoldenAccept.IsRequested())
        {
            if (Directory.Exists(expectedDir))
            {
                Directory.Delete(expectedDir, recursive: true);
            }

            GoldenTree.Write(expectedDir, tree);
        }

        var problems = GoldenTree.Compare(expectedDir, tree);
        Assert.True(problems.Length == 0, $"examples/{example} differs from its golden tree (UCSMAIL_ACCEPT=1 rewrites it):\n{problems}");
    }

    [Fact]
    public void Every_example_has_a_golden_tree()
    {
        Assert.NotEmpty(ExampleNames());
        foreach (var example in ExampleNames())
        {
            Assert.True(Directory.Exists(Path.Combine(RepoPaths.Examples, example, "expected")), $"examples/{example} has no expected/ folder");
        }
    }

    [Fact]
    public void Rendering_is_byte_stable_and_plain()
    {
        foreach (var example in ExampleNames())
        {
            var policy = Path.Combine(RepoPaths.Examples, example, "mail-policy.yaml");
            var first = Render(policy);
            var second = Render(policy);
            Assert.Equal(first.Files.Keys, second.Files.Keys);
            foreach (var (path, file) in first.Files)
            {
                Assert.Equal(file.Content, second.Files[path].Content);
                Assert.DoesNotContain((byte)'\r', file.Content);
                Assert.False(file.Content.AsSpan().StartsWith(Encoding.UTF8.Preamble), $"{path} starts with a BOM");
                Assert.True(file.Content.Length == 0 || file.Content[^1] == (byte)'\n', $"{path} does not end with a line break");
            }
        }
    }

    [Fact]
    public void A_golden_mismatch_is_reported_as_a_unified_diff_with_missing_and_extra_files()
    {
        using var temp = new TempDirectory();
        var tree = Render(Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml"));
        tree.WriteTo(temp.Path);
        var fragment = temp.Combine("etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config");
        File.WriteAllText(fragment, File.ReadAllText(fragment).Replace("milter_protocol = 6", "milter_protocol = 2", StringComparison.Ordinal));
        File.Delete(temp.Combine("etc/univention/templates/files/etc/opendkim/KeyTable"));
        File.WriteAllText(temp.Combine("stray"), "x\n");

        var problems = GoldenTree.Compare(temp.Path, tree);

        Assert.Contains("-milter_protocol = 2\n+milter_protocol = 6\n", problems, StringComparison.Ordinal);
        Assert.Contains("missing from golden: etc/univention/templates/files/etc/opendkim/KeyTable", problems, StringComparison.Ordinal);
        Assert.Contains("extra in golden: stray", problems, StringComparison.Ordinal);
        Assert.Contains("missing from golden: .modes", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_that_differs_from_the_golden_is_reported()
    {
        using var temp = new TempDirectory();
        var tree = Render(Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml"));
        GoldenTree.Write(temp.Path, tree);
        Assert.Equal("", GoldenTree.Compare(temp.Path, tree));
        var (path, file) = tree.Files.First();
        var changed = tree with { Files = tree.Files.SetItem(path, file with { Mode = file.Mode ^ UnixFileMode.OtherRead }) };

        var problems = GoldenTree.Compare(temp.Path, changed);

        var expected = Convert.ToString((int)file.Mode, 8).PadLeft(4, '0');
        var rendered = Convert.ToString((int)(file.Mode ^ UnixFileMode.OtherRead), 8).PadLeft(4, '0');
        Assert.Contains($"-{expected} {path}\n+{rendered} {path}\n", problems, StringComparison.Ordinal);
    }

    internal static RenderedTree Render(string policyPath)
    {
        var result = PolicyLoader.LoadFile(policyPath);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format(policyPath))));
        return MailPolicyPipeline.Render(result.Policy!).Tree;
    }
}
