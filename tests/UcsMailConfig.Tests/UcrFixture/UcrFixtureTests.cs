using System.Runtime.Versioning;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.UcrFixture;

/// <summary>
/// Pins the ucr stand-in to the UCR facts it claims to implement; other tests trust it instead of UCS.
/// </summary>
[SupportedOSPlatform("linux")] // UCS, and the fixture's POSIX modes and shebang, exist only there.
public sealed class UcrFixtureTests : IDisposable
{
    private const string TemplateDir = "etc/univention/templates/files";
    private const string MainCf = "etc/postfix/main.cf";
    private const string MultifileStanza = "Type: multifile\nMultifile: etc/postfix/main.cf\n";

    private readonly string _root = Directory.CreateTempSubdirectory("ucr-fixture-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Commit_OrdersSubfilesByBaseName_NotByInfoFileOrCreationOrPath()
    {
        // Created in reverse order, spread over .info files whose names sort the other way round,
        // and one subfile lives in another directory so full-path order would differ too.
        WriteTemplate("etc/postfix/main.cf.d/90_last", "ninety\n");
        WriteTemplate("etc/postfix/main.cf.d/50_middle", "fifty\n");
        WriteTemplate("etc/other.d/20_other_dir", "twenty\n");
        WriteTemplate("etc/postfix/main.cf.d/10_first", "ten\n");
        WriteInfo("a-stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/90_last"));
        WriteInfo("m-addon", Subfile("etc/postfix/main.cf.d/50_middle") + "\n" + Subfile("etc/other.d/20_other_dir"));
        WriteInfo("z-addon", Subfile("etc/postfix/main.cf.d/10_first"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));

        Assert.Equal("ten\ntwenty\nfifty\nninety\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_IgnoresFileInFragmentDirectoryWithoutSubfileStanza()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_registered", "registered\n");
        WriteTemplate("etc/postfix/main.cf.d/50_unregistered", "unregistered\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_registered"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));

        Assert.Equal("registered\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_IncludesSubfileRegisteredInAnotherInfoFile()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteTemplate("etc/postfix/main.cf.d/65_third_party", "third party\n");
        WriteInfo("univention-postfix", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general"));
        WriteInfo("third-party", Subfile("etc/postfix/main.cf.d/65_third_party"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));

        Assert.Equal("general\nthird party\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_SubstitutesVariables_UnsetOnesBecomeEmpty()
    {
        WriteFileTemplate("etc/test.conf", "set=@%@test/set@%@\nunset=@%@test/unset@%@\n");
        AssertSuccess(Ucr("set", "test/set=some value"));

        AssertSuccess(Ucr("commit", "/etc/test.conf"));

        Assert.Equal("set=some value\nunset=\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void Commit_JoinStandsInFor70Milter_ValuesSortedByKeyJoinedBySpaces_NothingWithoutVariables()
    {
        // UCS's 70_milter (00d4d6e9): the variables below the prefix, sorted by key (plain string
        // order, so "50_…" before "90_…" before "o…"), values joined by single spaces.
        WriteTemplate("etc/postfix/main.cf.d/70_milter", "@%@UCRFIXTURE_JOIN=smtpd_milters mail/postfix/smtpd_milters/@%@");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/70_milter"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));
        Assert.Equal("", ReadRooted(MainCf));

        AssertSuccess(Ucr("set", "mail/postfix/smtpd_milters/opendkim=inet:c", "mail/postfix/smtpd_milters/90_b=inet:b",
            "mail/postfix/smtpd_milters/50_a=inet:a", "mail/postfix/smtpd_milters=ignored", "mail/postfix/non_smtpd_milters/10_x=inet:x"));
        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));

        Assert.Equal("smtpd_milters = inet:a inet:b inet:c\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_Include_AppendsTheFileBelowTheRoot_WhenItHasContent_AndNothingOtherwise()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteTemplate("etc/postfix/main.cf.d/99_local", "@%@UCRFIXTURE_INCLUDE=etc/postfix/main.cf.local@%@");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general")
            + "\n" + Subfile("etc/postfix/main.cf.d/99_local"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));
        Assert.Equal("general\n", ReadRooted(MainCf));

        // Like UCS's 99_local: each line with its trailing blanks stripped, a newline after the last.
        WriteRooted("etc/postfix/main.cf.local", "a = 1  \nb = 2");
        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));
        Assert.Equal("general\na = 1\nb = 2\n", ReadRooted(MainCf));

        WriteRooted("etc/postfix/main.cf.local", "");
        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));
        Assert.Equal("general\n", ReadRooted(MainCf));

        File.Delete(Rooted("etc/postfix/main.cf.local"));
        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));
        Assert.Equal("general\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_Include_OfAPathLeavingTheRoot_FailsAndWritesNothing()
    {
        WriteTemplate("etc/postfix/main.cf.d/99_local", "@%@UCRFIXTURE_INCLUDE=../outside@%@");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/99_local"));

        var result = Ucr("commit", "/etc/postfix/main.cf");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must be relative and stay inside the root", result.StdErr);
        Assert.False(File.Exists(Rooted(MainCf)), "nothing may be written for the target");
    }

    [Fact]
    public void Commit_UcrWarning_EveryHeaderLineHasThePrefix_AndNamesEverySource()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "@%@UCRWARNING=#! @%@\ngeneral\n");
        WriteTemplate("etc/postfix/main.cf.d/65_ours", "ours\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general"));
        WriteInfo("ours", Subfile("etc/postfix/main.cf.d/65_ours"));

        AssertSuccess(Ucr("commit", "/etc/postfix/main.cf"));

        var lines = ReadRooted(MainCf).Split('\n');
        var header = lines.TakeWhile(line => line != "general").ToList();
        Assert.True(header.Count > 3, string.Join('\n', lines));
        Assert.All(header, line => Assert.StartsWith("#! ", line));
        var text = string.Join('\n', header);
        Assert.Contains("univention-config-registry", text);
        Assert.Contains("/etc/univention/templates/files/etc/postfix/main.cf.d/10_general", text);
        Assert.Contains("/etc/univention/templates/files/etc/postfix/main.cf.d/65_ours", text);
        Assert.DoesNotContain(_root, text);
        Assert.Equal(["general", "ours", ""], lines.Skip(header.Count));
    }

    [Fact]
    public void Commit_PythonBlock_FailsLoudly_AndWritesNothing()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteTemplate("etc/postfix/main.cf.d/50_python", "@!@\nprint('x')\n@!@\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general")
            + "\n" + Subfile("etc/postfix/main.cf.d/50_python"));

        var result = Ucr("commit", "/etc/postfix/main.cf");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("etc/postfix/main.cf.d/50_python", result.StdErr);
        Assert.Contains("@!@ Python blocks are not supported by the test fixture", result.StdErr);
        Assert.False(Directory.Exists(Rooted("etc/postfix")), "nothing may be written for the target");
    }

    [Fact]
    public void Commit_TargetNamedByNoStanza_DoesNothingAndSucceeds()
    {
        WriteFileTemplate("etc/test.conf", "content\n");

        var result = Ucr("commit", "/etc/unknown.conf");

        AssertSuccess(result);
        Assert.Equal("", result.StdErr);
        Assert.False(File.Exists(Rooted("etc/unknown.conf")));
        Assert.False(File.Exists(Rooted("etc/test.conf")), "only the named target may be committed");
    }

    [Fact]
    public void Commit_WithoutTargets_GeneratesEveryTarget()
    {
        WriteFileTemplate("etc/one.conf", "one\n");
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general"));

        AssertSuccess(Ucr("commit"));

        Assert.Equal("one\n", ReadRooted("etc/one.conf"));
        Assert.Equal("general\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_ReplacesTargetByRename_AndLeavesNoTemporaryFile()
    {
        WriteFileTemplate("etc/test.conf", "new\n");
        File.WriteAllText(Rooted("etc/test.conf"), "old\n");
        // A handle opened before the commit still sees the old inode only if the file was replaced by
        // rename; rewriting it in place would show the new content through this handle.
        using var before = new FileStream(
            Rooted("etc/test.conf"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        AssertSuccess(Ucr("commit", "/etc/test.conf"));

        using var reader = new StreamReader(before);
        Assert.Equal("old\n", reader.ReadToEnd());
        Assert.Equal("new\n", ReadRooted("etc/test.conf"));
        Assert.Equal(["test.conf"], Directory.GetFiles(Rooted("etc")).Select(file => Path.GetFileName(file)));
    }

    [Theory]
    [InlineData("0600", UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData("0640", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    public void Commit_FileStanza_AppliesMode(string mode, UnixFileMode expected)
    {
        WriteFileTemplate("etc/secret.conf", "secret\n", $"Mode: {mode}\n");
        File.SetUnixFileMode(Rooted(TemplateDir, "etc/secret.conf"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        AssertSuccess(Ucr("commit", "/etc/secret.conf"));

        Assert.Equal(expected, File.GetUnixFileMode(Rooted("etc/secret.conf")));
    }

    [Fact]
    public void Commit_UnknownUserAndGroup_WarnsAndStillWritesTheFile()
    {
        WriteFileTemplate("etc/owned.conf", "owned\n", "User: ucr-fixture-no-such-user\nGroup: ucr-fixture-no-such-group\n");

        var result = Ucr("commit", "/etc/owned.conf");

        AssertSuccess(result);
        Assert.Contains("ucr-fixture-no-such-user", result.StdErr);
        Assert.Contains("ucr-fixture-no-such-group", result.StdErr);
        Assert.Equal("owned\n", ReadRooted("etc/owned.conf"));
    }

    [Fact]
    public void Commit_SubfileMissingOnDisk_WarnsAndIsSkipped()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general")
            + "\n" + Subfile("etc/postfix/main.cf.d/50_gone"));

        var result = Ucr("commit", "/etc/postfix/main.cf");

        AssertSuccess(result);
        Assert.Contains("50_gone", result.StdErr);
        Assert.Equal("general\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Commit_ScriptAndModuleStanzas_AreParsedButIgnored()
    {
        WriteFileTemplate("etc/test.conf", "content\n");
        WriteInfo("hooks", "Type: script\nScript: restart-something\nVariables: a/.*\n\n"
            + "Type: module\nModule: something.py\nVariables: b/.*\n");

        AssertSuccess(Ucr("commit"));

        Assert.Equal("content\n", ReadRooted("etc/test.conf"));
    }

    [Theory]
    [InlineData("Type: directory\nFile: etc/x\n", "directory")]
    [InlineData("File: etc/x\n", "Type")]
    [InlineData("Type: file\nVariables: a\n", "File")]
    [InlineData("Type: multifile\nVariables: a\n", "Multifile")]
    [InlineData("Type: subfile\nMultifile: etc/postfix/main.cf\n", "Subfile")]
    [InlineData("Type: subfile\nSubfile: etc/postfix/main.cf.d/10_x\n", "Multifile")]
    public void Commit_MalformedStanza_IsRejectedAndNothingIsWritten(string stanza, string expectedInMessage)
    {
        WriteFileTemplate("etc/good.conf", "good\n");
        WriteInfo("bad", stanza);

        var result = Ucr("commit");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.info", result.StdErr);
        Assert.Contains(expectedInMessage, result.StdErr);
        Assert.False(File.Exists(Rooted("etc/good.conf")));
    }

    [Fact]
    public void Commit_RereadsInfoFiles_EvenWhenTheCacheIsOlder()
    {
        AssertSuccess(Ucr("update"));
        WriteFileTemplate("etc/late.conf", "late\n");

        AssertSuccess(Ucr("commit", "/etc/late.conf"));

        Assert.Equal("late\n", ReadRooted("etc/late.conf"));
    }

    [Theory]
    [InlineData("update")]
    [InlineData("register")]
    public void Set_RegeneratesMatchingTargets_OnlyOnceTheCacheWasBuilt(string cacheBuilder)
    {
        WriteFileTemplate("etc/mail.conf", "size=@%@mail/size@%@\n", "Variables: mail/size\n", info: "ours");
        WriteFileTemplate("etc/other.conf", "other=@%@other/x@%@\n", "Variables: other/.*\n", info: "others");
        AssertSuccess(Ucr("commit"));

        AssertSuccess(Ucr("set", "mail/size=1"));
        Assert.Equal("size=\n", ReadRooted("etc/mail.conf"));

        AssertSuccess(cacheBuilder == "update" ? Ucr("update") : Ucr("register", "ours"));
        File.WriteAllText(Rooted("etc/other.conf"), "untouched\n");
        AssertSuccess(Ucr("set", "mail/size=2"));

        Assert.Equal("size=2\n", ReadRooted("etc/mail.conf"));
        Assert.Equal("untouched\n", ReadRooted("etc/other.conf"));
    }

    [Fact]
    public void Set_MatchesVariablesRegexAtTheStartOfTheFullName()
    {
        WriteFileTemplate("etc/test.conf", "x=@%@xmail/size@%@ v=@%@mail/sizelimit@%@\n", "Variables: mail/size\n");
        AssertSuccess(Ucr("update"));

        AssertSuccess(Ucr("set", "xmail/size=20"));
        Assert.False(File.Exists(Rooted("etc/test.conf")), "re.match does not find 'mail/size' inside 'xmail/size'");

        AssertSuccess(Ucr("set", "mail/sizelimit=10"));
        Assert.Equal("x=20 v=10\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void Set_UsesTheCachedRegistration_NotInfoFilesAddedAfterIt()
    {
        AssertSuccess(Ucr("update"));
        WriteFileTemplate("etc/late.conf", "v=@%@late/v@%@\n", "Variables: late/v\n");

        AssertSuccess(Ucr("set", "late/v=1"));

        Assert.False(File.Exists(Rooted("etc/late.conf")));
    }

    [Fact]
    public void Set_SubfileVariables_RegenerateItsMultifile()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteTemplate("etc/postfix/main.cf.d/65_ours", "ours=@%@ours/v@%@\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general"));
        WriteInfo("ours", Subfile("etc/postfix/main.cf.d/65_ours") + "Variables: ours/.*\n");
        AssertSuccess(Ucr("update"));

        AssertSuccess(Ucr("set", "ours/v=1"));

        Assert.Equal("general\nours=1\n", ReadRooted(MainCf));
    }

    [Fact]
    public void Set_QuestionMark_SetsOnlyWhenUnset()
    {
        AssertSuccess(Ucr("set", "a/b=first"));

        AssertSuccess(Ucr("set", "a/b?second", "c/d?third"));

        Assert.Equal("first\n", Ucr("get", "a/b").StdOut);
        Assert.Equal("third\n", Ucr("get", "c/d").StdOut);
    }

    [Fact]
    public void Set_StoresVariablesInBaseConfInUcsFormat()
    {
        AssertSuccess(Ucr("set", "z/last=1", "a/first=two words", "m/empty="));

        Assert.Equal(
            "# univention_ base.conf\n\na/first: two words\nm/empty: \nz/last: 1\n",
            ReadRooted("etc/univention/base.conf"));
    }

    [Fact]
    public void Get_PrintsValueAndNewline_AndNothingWhenUnset()
    {
        AssertSuccess(Ucr("set", "mail/relayhost=[relay.example]:587"));

        var set = Ucr("get", "mail/relayhost");
        var unset = Ucr("get", "mail/nothing");

        AssertSuccess(set);
        Assert.Equal("[relay.example]:587\n", set.StdOut);
        AssertSuccess(unset);
        Assert.Equal("", unset.StdOut);
    }

    [Fact]
    public void Unset_RemovesVariables_AndRegeneratesMatchingTargets()
    {
        WriteFileTemplate("etc/test.conf", "v=@%@test/v@%@\n", "Variables: test/v\n");
        AssertSuccess(Ucr("set", "test/v=1", "test/keep=2"));
        AssertSuccess(Ucr("register", "test.conf"));
        Assert.Equal("v=1\n", ReadRooted("etc/test.conf"));

        AssertSuccess(Ucr("unset", "test/v"));

        Assert.Equal("", Ucr("get", "test/v").StdOut);
        Assert.Equal("2\n", Ucr("get", "test/keep").StdOut);
        Assert.Equal("v=\n", ReadRooted("etc/test.conf"));
    }

    [Fact]
    public void Register_DivertsAnExistingOriginalToDebian_ExactlyOnce()
    {
        WriteFileTemplate("etc/opendkim.conf", "generated\n", info: "ours");
        File.WriteAllText(Rooted("etc/opendkim.conf"), "package original\n");

        AssertSuccess(Ucr("register", "ours"));
        var second = Ucr("register", "ours");

        AssertSuccess(second);
        Assert.Equal("", second.StdErr);
        Assert.Equal("package original\n", ReadRooted("etc/opendkim.conf.debian"));
        Assert.Equal("generated\n", ReadRooted("etc/opendkim.conf"));
        Assert.Equal("/etc/opendkim.conf\n", ReadRooted("var/lib/ucr-fixture/diversions"));
    }

    [Fact]
    public void Register_WhenGenerationFails_LeavesACopyOfTheOriginalInPlace()
    {
        WriteFileTemplate("etc/opendkim.conf", "@!@\nprint('x')\n@!@\n", info: "ours");
        File.WriteAllText(Rooted("etc/opendkim.conf"), "package original\n");

        var result = Ucr("register", "ours");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("package original\n", ReadRooted("etc/opendkim.conf.debian"));
        Assert.Equal("package original\n", ReadRooted("etc/opendkim.conf"));
    }

    [Fact]
    public void Register_WithoutAnOriginal_DivertsNothing()
    {
        WriteFileTemplate("etc/opendkim.conf", "generated\n", info: "ours");

        AssertSuccess(Ucr("register", "ours"));

        Assert.False(File.Exists(Rooted("etc/opendkim.conf.debian")));
        Assert.False(File.Exists(Rooted("var/lib/ucr-fixture/diversions")));
        Assert.Equal("generated\n", ReadRooted("etc/opendkim.conf"));
    }

    [Fact]
    public void Register_OfASubfileOnlyInfo_CommitsItsMultifile_AndLeavesOtherTargetsAlone()
    {
        WriteTemplate("etc/postfix/main.cf.d/10_general", "general\n");
        WriteTemplate("etc/postfix/main.cf.d/65_ours", "ours\n");
        WriteInfo("stock", MultifileStanza + "\n" + Subfile("etc/postfix/main.cf.d/10_general"));
        WriteFileTemplate("etc/unrelated.conf", "unrelated\n");
        WriteInfo("ours", Subfile("etc/postfix/main.cf.d/65_ours"));

        AssertSuccess(Ucr("register", "ours"));

        Assert.Equal("general\nours\n", ReadRooted(MainCf));
        Assert.False(File.Exists(Rooted("etc/unrelated.conf")));
        Assert.False(File.Exists(Rooted("etc/postfix/main.cf.debian")), "only Type file targets are diverted");
    }

    [Theory]
    [InlineData("set", "test/v=2")]
    [InlineData("unset", "test/v")]
    [InlineData("commit")]
    [InlineData("register", "test.conf")]
    [InlineData("update")]
    public void InjectedFailure_ExitsOneAndChangesNothing(params string[] args)
    {
        WriteFileTemplate("etc/test.conf", "v=@%@test/v@%@\n", "Variables: test/v\n");
        File.WriteAllText(Rooted("etc/test.conf"), "original\n");
        AssertSuccess(Ucr("set", "test/v=1"));
        var before = Snapshot();

        var result = UcrFixtureRunner.RunWithEnvironment(
            new Dictionary<string, string?> { ["UCR_ROOT"] = _root, ["UCR_FIXTURE_FAIL"] = $"get,{args[0]}" },
            args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"ucr-fixture: injected failure in {args[0]}", result.StdErr);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void InjectedFailure_AffectsOnlyTheNamedSubcommands()
    {
        var result = UcrFixtureRunner.RunWithEnvironment(
            new Dictionary<string, string?> { ["UCR_ROOT"] = _root, ["UCR_FIXTURE_FAIL"] = "commit" },
            "set", "a/b=1");

        AssertSuccess(result);
        Assert.Equal("1\n", Ucr("get", "a/b").StdOut);
    }

    [Fact]
    public void EveryInvocation_IsLoggedWithItsExactArguments()
    {
        Ucr("set", "a/b=with space");
        Ucr("commit", "/etc/postfix/main.cf");
        Ucr("no-such-command");

        string[][] expected = [["set", "a/b=with space"], ["commit", "/etc/postfix/main.cf"], ["no-such-command"]];
        Assert.Equal(expected, UcrFixtureRunner.ReadInvocations(_root).Select(args => args.ToArray()));
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("get")]
    [InlineData("set")]
    [InlineData("register")]
    public void UsageError_ExitsTwoWithUsage(params string[] args)
    {
        var result = Ucr(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage:", result.StdErr);
    }

    [Fact]
    public void Run_WithoutUcrRoot_Refuses()
    {
        AssertSuccess(Ucr("set", "a/b=1"));
        var before = Snapshot();

        var result = UcrFixtureRunner.RunWithEnvironment(new Dictionary<string, string?>(), "set", "a/b=2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("UCR_ROOT", result.StdErr);
        Assert.Equal(before, Snapshot());
    }

    private ProgramResult Ucr(params string[] args) => UcrFixtureRunner.Run(_root, args);

    private static void AssertSuccess(ProgramResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private static string Subfile(string path) =>
        $"Type: subfile\nMultifile: etc/postfix/main.cf\nSubfile: {path}\n";

    private string Rooted(params string[] relative) => Path.Combine([_root, .. relative]);

    private string ReadRooted(string relative) => File.ReadAllText(Rooted(relative));

    private void WriteRooted(string relative, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Rooted(relative))!);
        File.WriteAllText(Rooted(relative), content);
    }

    private void WriteTemplate(string target, string content) => WriteRooted($"{TemplateDir}/{target}", content);

    private void WriteInfo(string name, string content) =>
        WriteRooted($"etc/univention/templates/info/{name}.info", content);

    /// <summary>A Type file template registered in its own .info file (named after the target by default).</summary>
    private void WriteFileTemplate(string target, string content, string extraStanzaLines = "", string? info = null)
    {
        WriteTemplate(target, content);
        WriteInfo(info ?? Path.GetFileName(target), $"Type: file\nFile: {target}\n{extraStanzaLines}");
        Directory.CreateDirectory(Path.GetDirectoryName(Rooted(target))!);
    }

    /// <summary>Every file under the root with its content and mode, except the invocation log.</summary>
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_root, file);
            if (relative != UcrFixtureRunner.InvocationLog)
            {
                files[relative] = $"{File.GetUnixFileMode(file)}:{File.ReadAllText(file)}";
            }
        }

        return files;
    }
}
