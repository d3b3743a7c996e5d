using UcsMailConfig.Files;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Tests.UcrFixture;
using UcsMailConfig.Ucs;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// The host files the tool reads below --root (UCR layers, .info files, main.cf.local, dpkg's
/// status, templates) cannot be turned against root: a symlink planted there, or a folder on the
/// way that a local user (ucsmail-test) owns or may write, is refused with one line naming the
/// path and exit 5 before anything changes, and nothing outside the root is read through it.
/// A first apply with --generate-keys reads the host before it creates a key, so its refusal leaves no key.
/// </summary>
public sealed class HostFileTrustTests
{
    private const string Attacker = "ucsmail-test";
    private const string MainCfLocal = "etc/postfix/main.cf.local";

    [Theory]
    [InlineData(MainCfLocal, "maximal_queue_lifetime = 1s\n")]
    [InlineData("etc/univention/templates/info/planted.info", "Type: subfile\nMultifile: etc/postfix/main.cf\nSubfile: etc/postfix/main.cf.d/70_milter\n")]
    [InlineData("etc/univention/base-forced.conf", "mail/postfix/maximal_queue_lifetime: 1s\n")]
    [InlineData("var/lib/dpkg/status", "Package: x\nConffiles:\n /etc/univention/templates/files/etc/postfix/main.cf.d/10_general 0\n")]
    public void A_symlink_below_the_root_pointing_outside_it_is_refused_and_nothing_changes(string relative, string content)
    {
        using var host = Applied();
        using var outside = new TempDirectory("ucsmail-outside");
        var target = outside.Combine("planted");
        File.WriteAllText(target, content);
        Directory.CreateDirectory(Path.GetDirectoryName(host[relative])!);
        File.Delete(host[relative]);
        File.CreateSymbolicLink(host[relative], target);
        var before = Listing(host);

        foreach (var command in new[] { "diff", "apply --check", "apply" })
        {
            var result = Run(host, command);

            AssertRefused(result, host[relative], "is a symlink");
            TreeListing.AssertSame(before, Listing(host));
        }

        Assert.Equal(content, File.ReadAllText(target));
    }

    [Fact]
    public void A_refused_first_apply_with_generate_keys_creates_no_key_and_changes_nothing_but_the_lock()
    {
        using var host = new ApplySandbox();
        using var outside = new TempDirectory("ucsmail-outside");
        File.WriteAllText(outside.Combine("planted"), "maximal_queue_lifetime = 1s\n");
        File.CreateSymbolicLink(host[MainCfLocal], outside.Combine("planted"));
        var before = TreeListing.Of(host.Root, folderTimes: false);

        AssertRefused(host.Apply(ApplySandbox.Example("single-domain")), host[MainCfLocal], "is a symlink");

        // The lock comes first (the checks must not race another apply) and is never deleted (a
        // waiter holding the old file would lock an orphan): it is all a refusal leaves.
        var after = TreeListing.Of(host.Root, folderTimes: false);
        string[] lockFolder = ["var/lib", "var/lib/ucs-mail-config", ApplyLock.RelativePath];
        Assert.Equal(lockFolder.Where(p => !before.ContainsKey(p)).Order(StringComparer.Ordinal), after.Keys.Except(before.Keys).Order(StringComparer.Ordinal));
        TreeListing.AssertSame(before, after.Where(e => before.ContainsKey(e.Key)).ToDictionary(StringComparer.Ordinal));
    }

    [Fact]
    public void Import_refuses_a_symlinked_opendkim_conf_names_it_and_writes_nothing()
    {
        using var host = new ApplySandbox();
        UcsMailConfig.Tests.Import.Import2017HostTests.Build2017Host(host);
        using var outside = new TempDirectory("ucsmail-outside");
        var conf = host["etc/opendkim.conf"];
        File.Move(conf, outside.Combine("opendkim.conf"));
        File.CreateSymbolicLink(conf, outside.Combine("opendkim.conf"));
        var before = Listing(host);

        AssertRefused(host.Cli("import", "--root", host.Root), conf, "is a symlink");
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void Diff_refuses_a_symlinked_main_cf_d_fragment_and_changes_nothing()
    {
        using var host = Applied();
        using var outside = new TempDirectory("ucsmail-outside");
        var fragment = host["etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config"];
        File.Move(fragment, outside.Combine("fragment"));
        File.CreateSymbolicLink(fragment, outside.Combine("fragment"));
        var before = Listing(host);

        AssertRefused(Run(host, "diff"), fragment, "is a symlink");
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void Postmap_does_not_remove_a_leftover_through_a_symlinked_folder()
    {
        using var root = new TempDirectory();
        using var outside = new TempDirectory("ucsmail-outside");
        var victim = outside.Combine("__db.transport.db");
        File.WriteAllText(victim, "not ours\n");
        Directory.CreateDirectory(root.Combine("etc"));
        Directory.CreateSymbolicLink(root.Combine("etc/postfix"), outside.Path);

        var refused = Assert.Throws<UntrustedFileException>(() =>
            UcsMailConfig.Ucs.Postmap.Run(["/etc/postfix/transport"], root.Path, outside.Path, ToolPaths.Defaults, new CommandRunner(TimeSpan.FromSeconds(10))));

        Assert.StartsWith($"{root.Combine("etc/postfix")} is a symlink;", refused.Message, StringComparison.Ordinal);
        Assert.Equal("not ours\n", File.ReadAllText(victim));
    }

    [Fact]
    public void Releasing_the_lock_does_not_remove_a_holder_through_a_symlinked_state_folder()
    {
        using var root = new TempDirectory();
        using var outside = new TempDirectory("ucsmail-outside");
        var victim = outside.Combine("lock.holder");
        File.WriteAllText(victim, "not ours\n");
        var state = root.Combine(StateFiles.Directory.TrimEnd('/'));
        var moved = root.Combine("state-moved");

        using (ApplyLock.Acquire(root.Path, TimeSpan.Zero, readOnly: false, _ => { }, CancellationToken.None))
        {
            Assert.True(File.Exists(Path.Combine(state, "lock.holder")));
            Directory.Move(state, moved);
            Directory.CreateSymbolicLink(state, outside.Path);
        }

        Assert.Equal("not ours\n", File.ReadAllText(victim));
        Assert.True(File.Exists(Path.Combine(moved, "lock.holder")));
    }

    [Fact]
    public void A_local_user_who_may_write_etc_postfix_and_plants_main_cf_local_is_refused()
    {
        using var host = Applied();
        using var outside = new TempDirectory("ucsmail-outside");
        File.WriteAllText(outside.Combine("mine"), "maximal_queue_lifetime = 1s\n");
        File.SetUnixFileMode(outside.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(outside.Combine("mine"), (UnixFileMode)0b110_100_100);
        // The way there open to the user, and etc/postfix writable by the user's group.
        File.SetUnixFileMode(host.Root, (UnixFileMode)0b111_101_101);
        var postfix = host["etc/postfix"];
        ExternalProgram.Check("chgrp", [Attacker, postfix]);
        File.SetUnixFileMode(postfix, File.GetUnixFileMode(postfix) | UnixFileMode.GroupWrite);
        ExternalProgram.Check("runuser", ["-u", Attacker, "--", "ln", "-s", outside.Combine("mine"), host[MainCfLocal]]);
        var before = Listing(host);

        foreach (var command in new[] { "diff", "apply" })
        {
            AssertRefused(Run(host, command), postfix, "writable by its group or others");
            TreeListing.AssertSame(before, Listing(host));
        }
    }

    [Theory]
    [InlineData("etc/univention/base.conf", "owner", "is owned by uid")]
    [InlineData("etc/univention", "world-write", "writable by its group or others")]
    [InlineData("etc/univention/templates/info", "owner", "is owned by uid")]
    public void A_host_file_or_folder_a_local_user_owns_or_may_write_is_refused(string relative, string how, string what)
    {
        using var host = Applied();
        var path = host[relative];
        if (how == "owner")
        {
            ExternalProgram.Check("chown", [Attacker, path]);
        }
        else
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherWrite);
        }

        var before = Listing(host);

        AssertRefused(Run(host, "apply"), path, what);
        TreeListing.AssertSame(before, Listing(host));
    }

    [Fact]
    public void A_symlinked_folder_on_the_way_is_refused_and_its_files_are_not_read()
    {
        using var root = new TempDirectory();
        using var outside = new TempDirectory("ucsmail-outside");
        File.WriteAllText(outside.Combine("base.conf"), "mail/relayhost: evil\n");
        Directory.CreateDirectory(root.Combine("etc"));
        Directory.CreateSymbolicLink(root.Combine("etc/univention"), outside.Path);

        var refused = Assert.Throws<UntrustedFileException>(() => UcrLayers.Read(root.Path));

        Assert.StartsWith($"{root.Combine("etc/univention")} is a symlink;", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_is_refused_without_blocking_and_a_missing_file_is_missing()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("etc/univention"));
        ExternalProgram.Check("mkfifo", [root.Combine("etc/univention/base.conf")]);

        var refused = Assert.Throws<UntrustedFileException>(() => UcrLayers.Read(root.Path));

        Assert.StartsWith($"{root.Combine("etc/univention/base.conf")} is not a regular file;", refused.Message, StringComparison.Ordinal);
        Assert.Null(TrustedRead.Bytes(root.Path, "etc/univention/base-ldap.conf"));
        Assert.Null(TrustedRead.Bytes(root.Path, "var/lib/dpkg/status"));
        Assert.Throws<UntrustedFileException>(() => TrustedRead.Bytes(root.Path, "etc/../../etc/shadow"));
    }

    [Theory]
    [InlineData("symlink", "is a symlink")]
    [InlineData("group-write", "writable by its group or others")]
    [InlineData("folder-owner", "neither root nor the file's owner")]
    [InlineData("folder-world-write", "writable by its group or others")]
    public void Status_refuses_an_installed_policy_that_someone_else_could_have_replaced(string how, string what)
    {
        using var host = new ApplySandbox();
        using var folder = new TempDirectory("ucsmail-policy");
        var policy = folder.Combine("mail-policy.yaml");
        File.Copy(ApplySandbox.Example("single-domain"), policy);
        var applied = host.Apply(policy);
        Assert.True(applied.Exit == 0, applied.Out + applied.Err);
        var named = how.StartsWith("folder", StringComparison.Ordinal) ? folder.Path : policy;
        switch (how)
        {
            case "symlink":
                File.Move(policy, folder.Combine("real.yaml"));
                File.CreateSymbolicLink(policy, folder.Combine("real.yaml"));
                break;
            case "group-write":
                File.SetUnixFileMode(policy, File.GetUnixFileMode(policy) | UnixFileMode.GroupWrite);
                break;
            case "folder-owner":
                ExternalProgram.Check("chown", [Attacker, folder.Path]);
                break;
            default:
                File.SetUnixFileMode(folder.Path, File.GetUnixFileMode(folder.Path) | UnixFileMode.OtherWrite);
                break;
        }

        var status = CliRun.Run("status", "--root", host.Root, "--ucr", UcrFixtureRunner.ScriptPath, "--dns-total", "1");
        var check = CliRun.Run("status", "--check", "--root", host.Root, "--ucr", UcrFixtureRunner.ScriptPath, "--dns-total", "1");

        Assert.True(status.Exit == 1, status.ToString());
        var error = Assert.Single(status.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith($"error: cannot read the installed policy {policy}: {named} ", error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", status.ToString(), StringComparison.Ordinal);
        Assert.True(check.Exit == 3, check.ToString());
        Assert.StartsWith("UNKNOWN: ", check.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A host the policy was applied to: the attack comes later, against an installation.</summary>
    private static ApplySandbox Applied()
    {
        var host = new ApplySandbox();
        var applied = host.Apply(ApplySandbox.Example("single-domain"));
        Assert.True(applied.Exit == 0, applied.Out + applied.Err);
        return host;
    }

    private static IReadOnlyDictionary<string, string> Listing(ApplySandbox host) =>
        TreeListing.Of(host.Root, folderTimes: false).Where(e => e.Key != "var/lib/ucs-mail-config/lock").ToDictionary(StringComparer.Ordinal);

    private static (int Exit, string Out, string Err) Run(ApplySandbox host, string command)
    {
        var policy = ApplySandbox.Example("single-domain");
        var words = command.Split(' ');
        return words[0] == "diff" ? host.Diff(policy) : host.Apply(policy, words[1..]);
    }

    /// <summary>Exit 5, one error line naming the path and what is wrong with it, no stack trace.</summary>
    private static void AssertRefused((int Exit, string Out, string Err) result, string path, string what)
    {
        var text = $"exit {result.Exit}\n{result.Out}\n{result.Err}";
        Assert.True(result.Exit == 5, text);
        var error = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains($"{path} ", error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
