using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Rollbacks under real faults: a full disk while postmap compiles a table (a size-limited tmpfs
/// over the sandbox's etc/postfix), and a file the rollback cannot put back (a read-only bind
/// mount). The ucr stand-in makes the fault right after its real commit.
/// </summary>
public sealed class ApplyRollbackFaultTests
{
    private const string Info = "etc/univention/templates/info/ucs-mail-config.info";
    private const string HandlerCache = "var/cache/univention-config/fixture-cache.json";

    [Fact]
    public void A_full_disk_during_postmap_is_rolled_back_without_leftovers_and_the_next_apply_works()
    {
        using var host = new ApplySandbox();
        var postfix = host["etc/postfix"];
        var policy = ApplySandbox.Example("tls-smime");
        host.CreateKeys(policy);
        using (MountTmpfs(postfix, "1m"))
        {
            Assert.True(new FileInfo(host["etc/postfix/main.cf"]).Length < 8192, "the test's arithmetic assumes a small stock main.cf");
            var before = host.Snapshot();
            // After its commit, the stand-in fills the disk but for two pages: room to put main.cf
            // back, none for postmap's three-page table.
            var ucr = host.WriteStub("ucr", $"""
                {host.UcrProgram} "$@" || exit
                if [ "$1" = commit ]; then
                  cat /dev/zero > "{postfix}/filler" 2>/dev/null
                  truncate -s -8192 "{postfix}/filler"
                fi
                """);

            var result = host.Apply(policy, "--ucr", ucr);

            Assert.True(result.Exit == 3, $"{result.Out}\n{result.Err}");
            Assert.Contains("No space left on device", result.Err, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFiles(postfix, "__db.*"));
            File.Delete(Path.Combine(postfix, "filler"));
            Assert.Equal(before, host.Snapshot());

            var next = host.Apply(policy);

            Assert.True(next.Exit == 0, $"{next.Out}\n{next.Err}");
            Assert.True(File.Exists(host["etc/postfix/tls_policy_ucs-mail-config.db"]));
        }
    }

    [Fact]
    public void A_file_the_rollback_cannot_put_back_is_named_exactly_and_everything_else_is_restored()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        var folder = host["etc/univention/templates/info"];

        var result = ApplyWithMountAfterCommit(host, folder, $"""mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" """);

        Assert.True(result.Exit == 4, $"{result.Out}\n{result.Err}");
        var notAsBefore = result.Err.Split('\n').Where(l => l.Contains("not as before", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"error: rollback: not as before: file {Info} (cannot remove it: Read-only file system : '{host[Info]}')"], notAsBefore);
        Assert.Contains("ROLLBACK FAILED", result.Err, StringComparison.Ordinal);
        var after = host.Snapshot();
        Assert.Equal(
            before.Keys.Append(Info).Order(StringComparer.Ordinal),
            after.Keys.Where(k => !k.StartsWith("var/lib/ucs-mail-config/journal/", StringComparison.Ordinal)));
        // UCR's handler cache was rebuilt by the rollback's 'ucr update' while the .info could not be removed.
        Assert.Equal(
            before.Where(f => f.Key != HandlerCache).Select(f => $"{f.Key} {f.Value}"),
            before.Keys.Where(k => k != HandlerCache).Select(k => $"{k} {after[k]}"));

        // Once the file can be written again, the next apply finishes the rollback from the journal, then applies.
        var next = host.Apply(ApplySandbox.Example("single-domain"));
        Assert.True(next.Exit == 0, next.Out + next.Err);
        Assert.Contains("an earlier apply was interrupted", next.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_folder_the_rollback_cannot_remove_is_a_failed_rollback_not_a_crash()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var busy = host["var/lib/ucs-mail-config/journal/files/busy"];
        // An empty read-only tmpfs inside the journal: the rollback puts everything back, but
        // removing the journal fails (EBUSY).
        var result = ApplyWithMountAfterCommit(host, busy, $"""mkdir "{busy}" && mount -t tmpfs -o ro,size=64k tmpfs "{busy}" """);

        Assert.True(result.Exit == 4, $"{result.Out}\n{result.Err}");
        Assert.Contains("ROLLBACK FAILED", result.Err, StringComparison.Ordinal);
        Assert.Contains("error: rollback: ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Err, StringComparison.Ordinal);

        var next = host.Apply(ApplySandbox.Example("single-domain"));
        Assert.True(next.Exit == 0, next.Out + next.Err);
    }

    /// <summary>
    /// Applies single-domain with a ucr stand-in that, after its real commit, runs
    /// <paramref name="mount"/> and fails; <paramref name="mountPoint"/> is unmounted afterwards.
    /// </summary>
    private static (int Exit, string Out, string Err) ApplyWithMountAfterCommit(ApplySandbox host, string mountPoint, string mount)
    {
        var ucr = host.WriteStub("ucr", $"""
            if [ "$1" = commit ]; then
              {host.UcrProgram} "$@" || exit
              {mount}
              echo 'injected failure after the commit' >&2
              exit 1
            fi
            exec {host.UcrProgram} "$@"
            """);
        try
        {
            return host.Apply(ApplySandbox.Example("single-domain"), "--ucr", ucr);
        }
        finally
        {
            ExternalProgram.Run("umount", [mountPoint]);
        }
    }

    // A size-limited tmpfs over the folder, holding what the folder held; unmounted on dispose.
    private static IDisposable MountTmpfs(string folder, string size)
    {
        var saved = new TempDirectory("ucsmail-saved");
        ExternalProgram.Check("cp", ["-a", folder + "/.", saved.Path]);
        ExternalProgram.Check("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder]);
        ExternalProgram.Check("cp", ["-a", saved.Path + "/.", folder]);
        return new Unmount(folder, saved);
    }

    private sealed class Unmount(string folder, TempDirectory saved) : IDisposable
    {
        public void Dispose()
        {
            ExternalProgram.Run("umount", [folder]);
            saved.Dispose();
        }
    }
}
