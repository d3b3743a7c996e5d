using System.Text.Json;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// diff and apply --check change nothing, whatever is on disk: not on a fresh host (no state
/// folder, no lock), and not after an interrupted apply, whose journal they report ("must be
/// recovered: run apply") and plan against instead of restoring it. Only apply recovers.
/// </summary>
public sealed class CheckModeTests
{
    [Fact]
    public void On_a_fresh_host_diff_and_check_create_nothing()
    {
        using var host = new ApplySandbox();
        var before = TreeListing.Of(host.Root);

        Assert.Equal(2, host.Diff(ApplySandbox.Example("single-domain")).Exit);
        Assert.Equal(2, host.Apply(ApplySandbox.Example("single-domain"), "--check").Exit);

        TreeListing.AssertSame(before, TreeListing.Of(host.Root));
    }

    [Fact]
    public void After_an_interrupted_apply_diff_and_check_warn_plan_against_the_backups_and_change_nothing()
    {
        using var host = new ApplySandbox();
        var policy = ApplySandbox.Example("single-domain");
        host.CreateKeys(policy);
        var diffBefore = host.Diff(policy);

        // A real interruption: ucr kills the apply (its parent) at the commit, after our files and ucr set.
        var killer = host.WriteStub("ucr", $"case \"$1\" in commit) kill -KILL $PPID; exit 137;; esac\nexec {host.UcrProgram} \"$@\"");
        using (var killed = ApplySandbox.StartCliProcess(["apply", policy, .. host.HostArguments("--ucr", killer)]))
        {
            Assert.True(killed.WaitForExit(120_000));
        }

        Assert.True(File.Exists(host["var/lib/ucs-mail-config/journal/intent.json"]), "the killed apply left no journal");
        Assert.True(File.Exists(host["etc/univention/templates/files/etc/opendkim.conf"]), "the apply was killed before it wrote anything");
        var before = TreeListing.Of(host.Root);
        var invocations = host.UcrInvocations().Count;

        var diff = host.Diff(policy);
        var check = host.Apply(policy, "--check");
        var json = host.Apply(policy, "--check", "--json");

        TreeListing.AssertSame(before, TreeListing.Of(host.Root));
        Assert.Equal(invocations, host.UcrInvocations().Count);
        foreach (var result in new[] { diff, check, json })
        {
            Assert.True(result.Exit == 2, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
            // The first problem, after the progress lines ("diff: ...", "apply: ...").
            var problems = string.Join('\n', result.Err.Split('\n').Where(l => !l.StartsWith("apply: ", StringComparison.Ordinal) && !l.StartsWith("diff: ", StringComparison.Ordinal)));
            Assert.StartsWith("warning: an interrupted apply must be recovered: run apply\n", problems, StringComparison.Ordinal);
        }

        // What recovery would restore is the host before the apply: the same plan as then.
        Assert.Equal(diffBefore.Out, diff.Out);
        Assert.Contains("an interrupted apply must be recovered: run apply",
            JsonDocument.Parse(json.Out).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));

        var apply = host.Apply(policy);

        Assert.True(apply.Exit == 0, apply.Out + apply.Err);
        Assert.Contains("an earlier apply was interrupted", apply.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
        Assert.Equal(0, host.Apply(policy, "--check").Exit);
    }
}
