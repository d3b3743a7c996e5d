using System.Runtime.Versioning;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.UcrFixture;

/// <summary>
/// Pins the ucr stand-in's layers to UCS-FACTS.md ("UCR layers"): which file wins, what a plain
/// or scoped <c>set</c>/<c>unset</c> writes, UCR's warning when a higher layer holds the key, and
/// that a shadowed change regenerates nothing.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class UcrFixtureLayerTests : IDisposable
{
    private const string Key = "mail/postfix/maximal_queue_lifetime";

    private static readonly (string Scope, string File)[] LayersWinningFirst =
    [
        ("forced", "etc/univention/base-forced.conf"),
        ("schedule", "etc/univention/base-schedule.conf"),
        ("ldap", "etc/univention/base-ldap.conf"),
        ("normal", "etc/univention/base.conf"),
        ("default", "etc/univention/base-defaults.conf"),
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("ucr-fixture-layers-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Get_AnswersWithTheFirstLayerThatHoldsTheKey_InUcsOrder()
    {
        foreach (var (scope, file) in LayersWinningFirst)
        {
            WriteLayer(file, $"{Key}: from-{scope}\n");
        }

        // Peel the layers off from the top: each time the next one down must answer.
        foreach (var (scope, file) in LayersWinningFirst)
        {
            Assert.Equal($"from-{scope}\n", Ucr("get", Key).StdOut);
            File.Delete(Rooted(file));
        }

        Assert.Equal("", Ucr("get", Key).StdOut);
    }

    [Theory]
    [InlineData("forced")]
    [InlineData("schedule")]
    [InlineData("ldap")]
    public void PlainSet_UnderAHigherLayer_WritesBaseConf_WarnsWithTheScope_AndRegeneratesNothing(string scope)
    {
        RegisterLifetimeTemplate();
        WriteLayer(LayerFile(scope), $"{Key}: 3d\n");
        Commit();
        Assert.Equal("lifetime=3d\n", ReadRooted("etc/test.conf"));

        var set = Ucr("set", $"{Key}=1h");

        Assert.Equal(0, set.ExitCode);
        Assert.Contains($"W: {Key} is overridden by scope \"{scope}\"", set.StdErr, StringComparison.Ordinal);
        Assert.Contains($"{Key}: 1h\n", ReadRooted("etc/univention/base.conf"), StringComparison.Ordinal);
        Assert.Equal("3d\n", Ucr("get", Key).StdOut);
        Assert.Equal("lifetime=3d\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void PlainSet_WithoutAHigherLayer_WarnsNothing_AndRegenerates()
    {
        RegisterLifetimeTemplate();
        WriteLayer(LayerFile("default"), $"{Key}: 5d\n");

        var set = Ucr("set", $"{Key}=1h");

        Assert.Equal(0, set.ExitCode);
        Assert.DoesNotContain("overridden", set.StdErr, StringComparison.Ordinal);
        Assert.Equal("lifetime=1h\n", ReadRooted("etc/test.conf"));
    }

    [Theory]
    [InlineData("--force", "forced")]
    [InlineData("--schedule", "schedule")]
    [InlineData("--ldap-policy", "ldap")]
    public void ScopedSet_WritesOnlyItsLayer_AndWinsOverBaseConf(string option, string scope)
    {
        RegisterLifetimeTemplate();
        AssertSuccess(Ucr("set", $"{Key}=1h"));

        AssertSuccess(Ucr("set", option, $"{Key}=2d"));

        Assert.Equal($"# univention_ base.conf\n\n{Key}: 2d\n", ReadRooted(LayerFile(scope)));
        Assert.Contains($"{Key}: 1h\n", ReadRooted("etc/univention/base.conf"), StringComparison.Ordinal);
        Assert.Equal("2d\n", Ucr("get", Key).StdOut);
        Assert.Equal("lifetime=2d\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void PlainUnset_UnderTheLdapLayer_WarnsStillSet_AndKeepsTheLdapValue()
    {
        RegisterLifetimeTemplate();
        AssertSuccess(Ucr("set", $"{Key}=1h"));
        WriteLayer(LayerFile("ldap"), $"{Key}: 3d\n");
        Commit();

        var unset = Ucr("unset", Key);

        Assert.Equal(0, unset.ExitCode);
        Assert.Contains($"W: {Key} is still set in scope \"ldap\"", unset.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ReadRooted("etc/univention/base.conf"), StringComparison.Ordinal);
        Assert.Equal("3d\n", Ucr("get", Key).StdOut);
        Assert.Equal("lifetime=3d\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void ForcedUnset_UncoversTheBaseConfValue_AndRegenerates()
    {
        RegisterLifetimeTemplate();
        AssertSuccess(Ucr("set", $"{Key}=1h"));
        AssertSuccess(Ucr("set", "--force", $"{Key}=2d"));
        Assert.Equal("lifetime=2d\n", ReadRooted("etc/test.conf"));

        var unset = Ucr("unset", "--force", Key);

        AssertSuccess(unset);
        Assert.Equal("1h\n", Ucr("get", Key).StdOut);
        Assert.Equal("lifetime=1h\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void Unset_OfAKeyItsLayerDoesNotHold_SaysSoInUcrsWords()
    {
        var unset = Ucr("unset", Key);

        Assert.Equal(0, unset.ExitCode);
        Assert.Contains($"W: The config registry variable '{Key}' does not exist", unset.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_UsesTheWinningValue()
    {
        RegisterLifetimeTemplate();
        AssertSuccess(Ucr("set", $"{Key}=1h"));
        WriteLayer(LayerFile("schedule"), $"{Key}: 4h\n");

        Commit();

        Assert.Equal("lifetime=4h\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void CustomBaseConf_IsTheOnlyLayer_ReadAndWritten()
    {
        WriteLayer(LayerFile("forced"), $"{Key}: 3d\n");
        WriteLayer(LayerFile("normal"), $"{Key}: 5d\nother/key: x\n");
        var custom = new Dictionary<string, string?> { ["UCR_ROOT"] = _root, ["UNIVENTION_BASECONF"] = "/etc/custom.conf" };

        var set = UcrFixtureRunner.RunWithEnvironment(custom, "set", $"{Key}=1h");
        var get = UcrFixtureRunner.RunWithEnvironment(custom, "get", Key);
        var other = UcrFixtureRunner.RunWithEnvironment(custom, "get", "other/key");

        AssertSuccess(set);
        Assert.DoesNotContain("overridden", set.StdErr, StringComparison.Ordinal);
        Assert.Equal("1h\n", get.StdOut);
        Assert.Equal("", other.StdOut);
        Assert.Equal($"# univention_ base.conf\n\n{Key}: 1h\n", ReadRooted("etc/custom.conf"));
        Assert.Equal($"{Key}: 5d\nother/key: x\n", ReadRooted(LayerFile("normal")));
    }

    [Fact]
    public void TwoScopeOptions_AreRefused_AndNothingIsWritten()
    {
        var set = Ucr("set", "--force", "--ldap-policy", $"{Key}=1h");

        Assert.Equal(1, set.ExitCode);
        Assert.All(LayersWinningFirst, layer => Assert.False(File.Exists(Rooted(layer.File)), layer.File));
    }

    private static string LayerFile(string scope) => LayersWinningFirst.Single(l => l.Scope == scope).File;

    private void RegisterLifetimeTemplate()
    {
        WriteRooted("etc/univention/templates/files/etc/test.conf", $"lifetime=@%@{Key}@%@\n");
        WriteRooted("etc/univention/templates/info/test.info", $"Type: file\nFile: etc/test.conf\nVariables: {Key}\n");
        Directory.CreateDirectory(Rooted("etc"));
        AssertSuccess(Ucr("update"));
    }

    private void Commit() => AssertSuccess(Ucr("commit", "/etc/test.conf"));

    private ProgramResult Ucr(params string[] args) => UcrFixtureRunner.Run(_root, args);

    private static void AssertSuccess(ProgramResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private string Rooted(string relative) => Path.Combine(_root, relative);

    private string ReadRooted(string relative) => File.ReadAllText(Rooted(relative));

    private void WriteLayer(string file, string lines) => WriteRooted(file, lines);

    private void WriteRooted(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Rooted(relative))!);
        File.WriteAllText(Rooted(relative), content);
    }
}
