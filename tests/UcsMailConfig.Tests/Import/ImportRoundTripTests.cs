using System.Text;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy;
using UcsMailConfig.Tests.Golden;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Import;

/// <summary>
/// Round trip for every example: render and install the policy on a sandbox UCS host (with its
/// keys), import the host, and the imported policy, loaded and validated by our own loader,
/// renders to the same configuration: every file but the DNS listings (SPF and DMARC are not on
/// the host, and a retired selector is not in OpenDKIM's tables), byte for byte; installed on a
/// second fresh host, postconf -n is the same.
/// </summary>
public sealed class ImportRoundTripTests
{
    public static TheoryData<string> Examples() => GoldenExamplesTests.Examples();

    [Theory]
    [MemberData(nameof(Examples))]
    public void ImportedPolicyRendersTheSameConfiguration(string example)
    {
        var original = PolicyLoader.LoadFile(Path.Combine(RepoPaths.Examples, example, "mail-policy.yaml")).Policy!;
        using var host = new StockUcsRoot();
        DkimKeyStore.EnsureKeys(original, host.Path);
        host.Install(MailPolicyPipeline.Render(original).Tree);
        var before = Directory.EnumerateFiles(host.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var result = CliRun.Run("import", "--root", host.Path);

        Assert.True(result.Exit is 0 or 2, result.ToString());
        var loaded = PolicyLoader.Load(result.Stdout);
        Assert.True(loaded.Policy is not null, $"{string.Join("\n", loaded.Diagnostics)}\n{result.Stdout}");
        // Only SPF and DMARC may be left out here: nothing else of the examples is beyond the policy.
        Assert.All(result.Stderr.Split('\n').Where(l => l.StartsWith("left out:", StringComparison.Ordinal)), l => Assert.Contains("SPF and DMARC", l));
        Assert.All(result.Stdout.Split('\n').Where(IsValueLine), l => Assert.Matches(@"  # from \S", l));
        var expected = Files(MailPolicyPipeline.Render(original).Tree);
        var imported = Files(MailPolicyPipeline.Render(loaded.Policy).Tree);
        Assert.Equal(expected.Keys, imported.Keys);
        foreach (var (path, content) in expected)
        {
            Assert.True(content == imported[path], $"{path} differs:\n--- from the example\n{content}\n--- from the imported policy\n{imported[path]}\n--- imported policy\n{result.Stdout}");
        }

        using var second = new StockUcsRoot();
        second.Install(MailPolicyPipeline.Render(loaded.Policy).Tree);
        Assert.Equal(PostconfN(host.Path), PostconfN(second.Path));

        // import writes nothing on the host.
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.Equal(before.Keys.Order(), Directory.EnumerateFiles(host.Path, "*", SearchOption.AllDirectories).Order());
    }

    internal static bool IsValueLine(string line) =>
        line.Length > 0 && !line.TrimStart().StartsWith('#') && !line.TrimEnd().EndsWith(':') && line != "version: 1";

    internal static string PostconfN(string root) =>
        ExternalProgram.Run("postconf", ["-c", Path.Combine(root, "etc/postfix"), "-n"]).StdOut.Replace(root, "ROOT", StringComparison.Ordinal);

    private static Dictionary<string, string> Files(UcsMailConfig.Rendering.RenderedTree tree) =>
        tree.Files.Where(f => !f.Key.Contains("/dns/", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value.Content));
}
