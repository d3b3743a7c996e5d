using System.Text;
using UcsMailConfig.Dkim;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dkim;

/// <summary>
/// <c>dkim rotate</c> starts a rotation (new date-named pending selector with its key), and the
/// selector states do what they say: every state is published, only active ones sign.
/// </summary>
public sealed class RotationTests
{
    private const string Rotating = """
        version: 1
        domains:
          example.com:
            dkim:
              selectors:
                "20250101": {state: retired}
                "20260101": {state: active}
                "20261128": {state: pending}
        """;

    [Fact]
    public void Rotate_creates_the_next_dated_selector_as_pending_with_its_key()
    {
        using var policy = new KeyedPolicy(KeyedPolicy.OneDomain);

        var result = CliRun.Run("dkim", "rotate", "--domain", "example.com", "--policy", policy.PolicyPath, "--root", policy.Root, "--date", "20261128");

        Assert.True(result.Exit == 0, result.ToString());
        var key = policy["/etc/opendkim/keys/example.com/20261128.private"];
        Assert.Equal(2048, TestKeys.PublicKeyOf(key).Bits);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Contains("        \"20261128\": {state: pending}\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("set \"20261128\" to state: active and \"s1\" to state: retired", result.Stdout, StringComparison.Ordinal);
        Assert.Equal($"v=DKIM1; k=rsa; p={TestKeys.PublicKeyOf(key).Base64}", ZoneForm.PlainValues(result.Stdout).Single());
        Assert.Equal(ZoneForm.PlainValues(result.Stdout), ZoneForm.JoinedValues(result.Stdout));
    }

    [Fact]
    public void Rotate_adds_a_suffix_when_the_policy_or_a_key_file_has_the_name()
    {
        using var policy = new KeyedPolicy(Rotating);
        var taken = policy["/etc/opendkim/keys/example.com/20261128-2.private"];
        File.WriteAllText(taken, "someone's key\n");

        var result = CliRun.Run("dkim", "rotate", "--domain", "example.com", "--policy", policy.PolicyPath, "--root", policy.Root, "--date", "20261128", "--another");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("\"20261128-3\": {state: pending}", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(policy["/etc/opendkim/keys/example.com/20261128-3.private"]));
        Assert.Equal("someone's key\n", File.ReadAllText(taken));
    }

    [Fact]
    public void Rotate_refuses_while_a_selector_is_pending_unless_another()
    {
        using var policy = new KeyedPolicy(Rotating);
        var before = TreeListing.Of(policy.Root, folderTimes: false);

        var refused = CliRun.Run("dkim", "rotate", "--domain", "example.com", "--policy", policy.PolicyPath, "--root", policy.Root, "--date", "20261205");

        Assert.Equal(5, refused.Exit);
        Assert.Contains("the selector \"20261128\" is pending in the policy", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("or pass --another", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("", refused.Stdout);
        Assert.Equal(before, TreeListing.Of(policy.Root, folderTimes: false));
    }

    [Fact]
    public void Rotate_run_twice_refuses_the_second_time_naming_the_key_not_yet_in_the_policy()
    {
        using var policy = new KeyedPolicy(KeyedPolicy.OneDomain);
        string[] rotate = ["dkim", "rotate", "--domain", "example.com", "--policy", policy.PolicyPath, "--root", policy.Root, "--date", "20261204"];

        var first = CliRun.Run(rotate);
        var second = CliRun.Run(rotate);
        var another = CliRun.Run([.. rotate, "--another"]);

        Assert.True(first.Exit == 0, first.ToString());
        Assert.Equal(5, second.Exit);
        Assert.Contains($"the selector \"20261204\" is a key ({policy["/etc/opendkim/keys/example.com/20261204.private"]}) that the policy does not name yet", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(policy["/etc/opendkim/keys/example.com/20261204-2.private"]) && another.Exit != 0);
        Assert.True(another.Exit == 0, another.ToString());
        Assert.Contains("\"20261204-2\": {state: pending}", another.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotate_for_a_domain_the_policy_does_not_have_writes_nothing()
    {
        using var policy = new KeyedPolicy(KeyedPolicy.OneDomain, createKeys: false);

        var result = CliRun.Run("dkim", "rotate", "--domain", "example.net", "--policy", policy.PolicyPath, "--root", policy.Root);

        Assert.Equal(1, result.Exit);
        Assert.Contains("has no domain example.net", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(policy.Root));
    }

    [Theory]
    [InlineData("2026-11-28")]
    [InlineData("20261331")]
    public void Rotate_rejects_a_bad_date(string date)
    {
        using var policy = new KeyedPolicy(KeyedPolicy.OneDomain, createKeys: false);

        var result = CliRun.Run("dkim", "rotate", "--domain", "example.com", "--root", policy.Root, "--date", date);

        Assert.Equal(1, result.Exit);
        Assert.Contains("is not a day written YYYYMMDD", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Retired_and_pending_selectors_are_published_but_only_the_active_one_signs()
    {
        using var policy = new KeyedPolicy(Rotating);
        Assert.Equal(0, CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "20250101", "--root", policy.Root).Exit);

        var dns = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "plain");
        var tree = TreeRenderer.Render(RenderModelDeriver.Derive(policy.Load()));

        Assert.True(dns.Exit == 0, dns.ToString());
        Assert.Equal(3, ZoneForm.PlainValues(dns.Stdout).Count());
        foreach (var selector in new[] { "20250101", "20260101", "20261128" })
        {
            Assert.Contains($"\n{selector}._domainkey.example.com TXT v=DKIM1; k=rsa; p=", dns.Stdout, StringComparison.Ordinal);
        }

        var keyTable = Table(tree, TemplateCatalog.KeyTable);
        var signingTable = Table(tree, TemplateCatalog.SigningTable);
        Assert.Equal(["20260101._domainkey.example.com example.com:20260101:/etc/opendkim/keys/example.com/20260101.private"], keyTable);
        Assert.Equal(["*@example.com 20260101._domainkey.example.com"], signingTable);
    }

    [Fact]
    public void NextSelector_is_the_day_then_numbered_suffixes()
    {
        var day = new DateOnly(2026, 11, 28);

        Assert.Equal("20261128", DkimRotation.NextSelector(day, _ => false));
        Assert.Equal("20261128-2", DkimRotation.NextSelector(day, name => name == "20261128"));
        Assert.Throws<DkimKeyException>(() => DkimRotation.NextSelector(day, _ => true));
    }

    private static List<string> Table(RenderedTree tree, string template) =>
        [.. Encoding.UTF8.GetString(tree.Files[TemplateCatalog.OutputPath(template)].Content).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('@'))];
}
