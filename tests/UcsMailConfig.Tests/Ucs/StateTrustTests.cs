using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// The tool's own state, journal, lock and log cannot be turned against root: a caller's umask,
/// a planted or damaged journal or state.json, files owned or writable by a local user
/// (ucsmail-test), and symlinks at the lock and the log are refused with one line and exit 5,
/// and nothing below or outside the root changes (apply may leave its lock file: it records that
/// a run happened, not configuration).
/// </summary>
public sealed class StateTrustTests
{
    private const string StateFolder = "var/lib/ucs-mail-config";
    private const string Intent = "var/lib/ucs-mail-config/journal/intent.json";
    private const string State = "var/lib/ucs-mail-config/state.json";
    private const string Lock = "var/lib/ucs-mail-config/lock";
    private const string Log = "var/log/univention/ucs-mail-config.log";

    private const UnixFileMode OthersMayWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    [Fact]
    public void An_apply_under_umask_000_creates_nothing_that_others_may_write()
    {
        using var host = new ApplySandbox();
        var before = TreeListing.Modes(host.Root).Keys.ToHashSet(StringComparer.Ordinal);
        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");

        var result = ExternalProgram.Run("/bin/sh",
            ["-c", "umask 000 && exec dotnet \"$@\"", "sh", cli, "apply", ApplySandbox.Example("tls-smime"), .. host.HostArguments()],
            TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.ToString());
        var created = TreeListing.Modes(host.Root).Where(e => !before.Contains(e.Key)).ToDictionary();
        Assert.Contains("etc/univention/templates/files/etc/kopano/webapp", created.Keys);
        Assert.Empty(created.Where(e => (e.Value & OthersMayWrite) != 0).Select(e => $"{e.Key} {Octal(e.Value)}"));
        foreach (var folder in created.Keys.Where(p => p == StateFolder || p.StartsWith(StateFolder + "/", StringComparison.Ordinal) && Directory.Exists(host[p])))
        {
            Assert.True(created[folder] == (UnixFileMode)0b111_000_000, $"{folder} is {Octal(created[folder])}");
        }

        foreach (var file in new[] { State, Lock, Log })
        {
            Assert.True(created[file] == (UnixFileMode)0b110_000_000, $"{file} is {Octal(created[file])}");
        }

        Assert.Equal((UnixFileMode)0b111_101_101, created["etc/univention/templates/files/etc/opendkim"]);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("apply --check")]
    [InlineData("diff")]
    public void A_planted_journal_with_a_path_outside_the_root_and_a_setuid_mode_is_refused_and_nothing_is_restored(string command)
    {
        using var host = new ApplySandbox();
        var outside = Path.Combine(Path.GetDirectoryName(host.Root)!, $"ucsmail-planted-{Guid.NewGuid():N}");
        var relative = Path.GetRelativePath(host.Root, outside);
        Plant(host, $$"""{"files":[{"path":"{{relative}}","existed":true,"mode":{{0b100_111_101_101}}}],"variables":[],"registrationChanged":false,"targets":[]}""");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(host[StateFolder + "/journal/files"], relative))!);
        File.WriteAllText(Path.Combine(host[StateFolder + "/journal/files"], relative), "#!/bin/sh\nexec /bin/sh\n");
        var before = Listing(host);

        var result = Run(host, command);

        AssertRefused(result, host[Intent], "not one ucs-mail-config manages");
        Assert.False(File.Exists(outside), "the planted backup was restored outside the root");
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void A_journal_that_gives_a_managed_file_a_setuid_mode_is_refused_and_the_file_keeps_its_mode()
    {
        using var host = new ApplySandbox();
        var mainCf = host["etc/postfix/main.cf"];
        var mode = File.GetUnixFileMode(mainCf);
        Plant(host, $$"""{"files":[{"path":"etc/postfix/main.cf","existed":true,"mode":{{0b100_111_101_101}}}],"variables":[],"registrationChanged":false,"targets":[]}""");
        Directory.CreateDirectory(host[StateFolder + "/journal/files/etc/postfix"]);
        File.WriteAllText(host[StateFolder + "/journal/files/etc/postfix/main.cf"], "planted\n");
        var before = Listing(host);

        var result = Run(host, "apply");

        AssertRefused(result, host[Intent], "mode 4755");
        Assert.Equal(mode, File.GetUnixFileMode(mainCf));
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void A_journal_whose_saved_state_json_is_not_a_valid_state_is_refused_before_anything_is_restored()
    {
        using var host = new ApplySandbox();
        var mainCf = File.ReadAllText(host["etc/postfix/main.cf"]);
        Plant(host, $$"""{"files":[{"path":"etc/postfix/main.cf","existed":true,"mode":{{0b110_100_100}}},{"path":"{{State}}","existed":true,"mode":{{0b110_000_000}}}],"variables":[],"registrationChanged":false,"targets":[]}""");
        CreatePrivateFolders(host, StateFolder + "/journal/files/" + StateFolder);
        Directory.CreateDirectory(host[StateFolder + "/journal/files/etc/postfix"]);
        File.WriteAllText(host[StateFolder + "/journal/files/etc/postfix/main.cf"], "restored\n");
        File.WriteAllText(host[StateFolder + "/journal/files/" + State], "null");
        File.SetUnixFileMode(host[StateFolder + "/journal/files/" + State], (UnixFileMode)0b110_000_000);
        var before = Listing(host);

        var result = Run(host, "apply");

        AssertRefused(result, host[StateFolder + "/journal/files/" + State], "lacks its files or variables");
        Assert.Equal(mainCf, File.ReadAllText(host["etc/postfix/main.cf"]));
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void A_managed_file_others_may_write_is_refused_before_the_journal_with_the_chmod_that_fixes_it()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var mainCf = host["etc/postfix/main.cf"];
        File.SetUnixFileMode(mainCf, (UnixFileMode)0b110_110_100);
        // The lock's folder: the lock is the one thing a refused apply leaves.
        CreatePrivateFolders(host, StateFolder);
        var before = Listing(host);

        var result = Run(host, "apply");

        // The one note: the sandbox activates its selector without a DNS check.
        AssertRefused(result, mainCf, "mode 664", notes: 1);
        // Host files are read only when root alone can change them (Files/TrustedRead), before any plan.
        Assert.Contains($"run 'chmod go-w {mainCf}'", result.Err, StringComparison.Ordinal);
        TreeListing.AssertSame(before, Listing(host));
        Assert.False(Directory.Exists(host[StateFolder + "/journal"]), "the refused apply began a journal");
    }

    [Fact]
    public void A_refusal_after_an_interrupted_apply_was_recovered_says_so_and_is_logged()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        Plant(host, """{"files":[],"variables":[],"registrationChanged":false,"targets":[]}""");
        File.SetUnixFileMode(host["etc/postfix/main.cf"], (UnixFileMode)0b110_110_100);

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--json");

        Assert.True(result.Exit == 5, $"{result.Out}\n{result.Err}");
        using var report = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal("refused", report.RootElement.GetProperty("outcome").GetString());
        Assert.True(report.RootElement.GetProperty("recoveredInterruptedApply").GetBoolean());
        Assert.Contains("chmod go-w", result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host[StateFolder + "/journal"]), "the recovery left its journal");
        Assert.Contains(" apply outcome=refused ", File.ReadAllText(host[Log]), StringComparison.Ordinal);
        Assert.Contains(" recovered=yes ", File.ReadAllText(host[Log]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reload_that_fails_after_recovering_an_interrupted_apply_is_a_failed_rollback()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        Plant(host, """{"files":[],"variables":[],"registrationChanged":false,"targets":["/etc/opendkim.conf"]}""");
        var systemctl = host.WriteStub("systemctl", "[ \"$1\" = is-active ] && exit 0\necho 'injected restart failure' >&2\nexit 1");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--systemctl", systemctl);

        Assert.True(result.Exit == 4, $"{result.Out}\n{result.Err}");
        Assert.Contains("recovered the configuration of the interrupted apply, but reloading it failed", result.Err, StringComparison.Ordinal);
        Assert.Contains("injected restart failure", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("applied:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_holder_that_cannot_be_removed_does_not_change_the_apply_s_result()
    {
        using var host = new ApplySandbox();
        var holder = host[Lock + ".holder"];
        // After its commit the stand-in makes lock.holder immutable: even root cannot remove it.
        var ucr = host.WriteStub("ucr", $"""
            {host.UcrProgram} "$@" || exit
            [ "$1" = commit ] && chattr +i "{holder}"
            exit 0
            """);
        (int Exit, string Out, string Err) result;
        try
        {
            result = host.Apply(ApplySandbox.Example("single-domain"), "--ucr", ucr);
        }
        finally
        {
            ExternalProgram.Run("chattr", ["-i", holder]);
        }

        Assert.True(result.Exit == 0, $"{result.Out}\n{result.Err}");
        Assert.True(File.Exists(holder), "the stand-in did not make lock.holder immutable");
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
    }

    [Fact]
    public void Diff_run_by_another_user_than_root_says_it_must_run_as_root()
    {
        using var host = new ApplySandbox();
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        var cli = Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll");

        var result = ExternalProgram.Run("runuser",
            ["-u", "ucsmail-test", "--", "env", "HOME=/tmp", "dotnet", cli, "diff", ApplySandbox.Example("single-domain"), .. host.HostArguments()],
            TimeSpan.FromMinutes(3));

        // The first of root's folders it cannot open is named: the sandbox's or the state folder.
        AssertRefused((result.ExitCode, result.StdOut, result.StdErr), host.Root, "is root's, and ucs-mail-config changed nothing: it must run as root; run it with sudo or as root");
    }

    [Theory]
    [InlineData(State, "owner")]
    [InlineData(State, "group-write")]
    [InlineData(Intent, "owner")]
    [InlineData(Intent, "group-write")]
    [InlineData(StateFolder + "/journal", "world-write")]
    [InlineData(StateFolder, "owner")]
    public void State_or_journal_that_a_local_user_owns_or_may_write_is_refused(string relative, string how)
    {
        using var host = new ApplySandbox();
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        if (relative.StartsWith(StateFolder + "/journal", StringComparison.Ordinal))
        {
            Plant(host, """{"files":[],"variables":[],"registrationChanged":false,"targets":[]}""");
        }

        var path = host[relative];
        if (how == "owner")
        {
            ExternalProgram.Check("chown", ["ucsmail-test", path]);
        }
        else
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | (how == "group-write" ? UnixFileMode.GroupWrite : UnixFileMode.OtherWrite));
        }

        var before = Listing(host);

        foreach (var command in new[] { "apply", "apply --check", "diff" })
        {
            var result = Run(host, command);
            AssertRefused(result, path, how == "owner" ? "owned by uid" : "writable by others");
            TreeListing.AssertSame(before, Listing(host));
        }
    }

    [Theory]
    [InlineData(Lock)]
    [InlineData(Log)]
    public void A_symlinked_lock_or_log_is_refused_and_its_target_is_untouched(string relative)
    {
        using var host = new ApplySandbox();
        using var elsewhere = new TempDirectory("ucsmail-target");
        var target = elsewhere.Combine("target");
        File.WriteAllText(target, "root's file\n");
        File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
        var missingTarget = elsewhere.Combine("never-created");
        CreatePrivateFolders(host, Path.GetDirectoryName(relative)!);

        foreach (var pointee in new[] { target, missingTarget })
        {
            File.Delete(host[relative]);
            File.CreateSymbolicLink(host[relative], pointee);
            var before = TreeListing.Of(host.Root, folderTimes: false);

            var result = host.Apply(ApplySandbox.Example("single-domain"));

            AssertRefused(result, host[relative], "is a symlink");
            TreeListing.AssertSame(before, TreeListing.Of(host.Root, folderTimes: false));
            Assert.Equal("root's file\n", File.ReadAllText(target));
            Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(target));
            Assert.False(File.Exists(missingTarget), "the symlink's target was created");
        }
    }

    [Fact]
    public void A_folder_where_the_lock_belongs_is_refused_in_one_line()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host[Lock]);

        AssertRefused(host.Apply(ApplySandbox.Example("single-domain")), host[Lock], "is a folder");
    }

    [Theory]
    [InlineData(State, "")]
    [InlineData(State, "{\"files\": [\"etc/postfix/main.cf\"")]
    [InlineData(State, "{\"files\": [\"../../etc/shadow\"], \"variables\": {}}")]
    [InlineData(State, "{\"files\": [], \"variables\": {\"hostname\": \"evil\"}}")]
    [InlineData(State, "null")]
    [InlineData(Intent, "")]
    [InlineData(Intent, "\u0000\u00ff")]
    [InlineData(Intent, "{\"files\": null}")]
    public void Corrupt_or_empty_state_or_journal_is_one_line_and_exit_5_for_every_command(string relative, string content)
    {
        using var host = new ApplySandbox();
        CreatePrivateFolders(host, Path.GetDirectoryName(relative)!);
        File.WriteAllText(host[relative], content);
        File.SetUnixFileMode(host[relative], (UnixFileMode)0b110_000_000);
        var before = Listing(host);

        foreach (var command in new[] { "apply --check", "diff", "apply", "apply --json" })
        {
            var result = Run(host, command);
            AssertRefused(result, host[relative], "");
            TreeListing.AssertSame(before, Listing(host));
        }
    }

    [Fact]
    public void No_local_user_can_hold_the_lock_and_an_older_open_lock_is_closed_by_apply()
    {
        using var host = new ApplySandbox();
        // What earlier versions left: a 0755 state folder and a 0644 lock.
        Directory.CreateDirectory(host[StateFolder], (UnixFileMode)0b111_101_101);
        File.WriteAllText(host[Lock], "");
        File.SetUnixFileMode(host[Lock], (UnixFileMode)0b110_100_100);

        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);

        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(host[StateFolder]));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(host[Lock]));
        var attempt = ExternalProgram.Run("runuser", ["-u", "ucsmail-test", "--", "flock", "--nonblock", "--shared", host[Lock], "true"]);
        Assert.NotEqual(0, attempt.ExitCode);
        Assert.Contains("Permission denied", attempt.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_held_lock_names_its_holders_pid_and_start_time_and_the_waiter_says_so()
    {
        using var host = new ApplySandbox();
        // The first apply holds the lock while its ucr sleeps; a real second process, not a test double of the lock.
        var slowUcr = host.WriteStub("ucr", "sleep 60");
        using var first = ApplySandbox.StartCliProcess(["apply", ApplySandbox.Example("single-domain"), .. host.HostArguments("--ucr", slowUcr)]);
        try
        {
            var holder = Poll.Until(() => File.Exists(host[Lock + ".holder"]) ? File.ReadAllText(host[Lock + ".holder"]) : null,
                TimeSpan.FromSeconds(60), () => "the first apply never recorded itself as the lock's holder");
            Assert.StartsWith($"pid {first.Id} since 20", holder, StringComparison.Ordinal);
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(host[Lock + ".holder"]));

            var second = host.Apply(ApplySandbox.Example("single-domain"), "--lock-wait", "1");

            AssertRefused(second, host[Lock], $"is held by another process (lock.holder says {holder.TrimEnd()})");
            Assert.Contains($"apply: waiting for the lock held by another process (lock.holder says {holder.TrimEnd()};", second.Err, StringComparison.Ordinal);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
    }

    private static void Plant(ApplySandbox host, string intent)
    {
        CreatePrivateFolders(host, StateFolder + "/journal");
        File.WriteAllText(host[Intent], intent);
        File.SetUnixFileMode(host[Intent], (UnixFileMode)0b110_000_000);
    }

    /// <summary>The folder and those above it below the root, each 0700 as the tool makes its own.</summary>
    private static void CreatePrivateFolders(ApplySandbox host, string relative)
    {
        var parts = relative.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            Directory.CreateDirectory(host[string.Join('/', parts[..i])], (UnixFileMode)0b111_000_000);
        }
    }

    /// <summary>The tree without the lock file and folders' mtimes: what apply may touch when it refuses.</summary>
    private static IReadOnlyDictionary<string, string> Listing(ApplySandbox host) =>
        TreeListing.Of(host.Root, folderTimes: false).Where(e => e.Key != Lock).ToDictionary(StringComparer.Ordinal);

    private static (int Exit, string Out, string Err) Run(ApplySandbox host, string command)
    {
        var policy = ApplySandbox.Example("single-domain");
        var words = command.Split(' ');
        return words[0] == "diff"
            ? host.Diff(policy)
            : host.Apply(policy, words[1..]);
    }

    /// <summary>Exit 5, one error line naming the file (and <paramref name="what"/>), no stack trace.</summary>
    private static void AssertRefused((int Exit, string Out, string Err) result, string file, string what, int notes = 0)
    {
        var text = $"exit {result.Exit}\n{result.Out}\n{result.Err}";
        Assert.True(result.Exit == 5, text);
        // Progress lines ("apply: ...", "diff: ...") say what was being done; the problems are the rest.
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("apply: ", StringComparison.Ordinal) && !l.StartsWith("diff: ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1 + notes, text);
        var error = lines.Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(file, error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}
