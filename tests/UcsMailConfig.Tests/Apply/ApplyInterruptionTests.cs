using UcsMailConfig.Tests.UcrFixture;

namespace UcsMailConfig.Tests.Apply;

/// <summary>A killed apply is recovered by the next one; two applies at once do not interleave.</summary>
public sealed class ApplyInterruptionTests
{
    [Fact]
    public void A_process_killed_between_two_writes_is_recovered_by_the_next_apply()
    {
        using var host = new ApplySandbox();
        using var reference = new ApplySandbox();
        Assert.Equal(0, reference.Apply(ApplySandbox.Example("single-domain")).Exit);

        using (var killed = ApplySandbox.StartCliProcess(["apply", ApplySandbox.Example("single-domain"), .. host.HostArguments()],
            new Dictionary<string, string> { ["UCSMAIL_TEST_CRASH_AFTER_WRITES"] = "2" }))
        {
            Assert.True(killed.WaitForExit(120_000));
            Assert.NotEqual(0, killed.ExitCode);
        }

        Assert.True(File.Exists(host["var/lib/ucs-mail-config/journal/intent.json"]), "the killed apply left no journal");
        Assert.True(File.Exists(host["etc/univention/templates/files/etc/opendkim.conf"]), "the hook did not stop between writes");

        var next = host.Apply(ApplySandbox.Example("single-domain"));

        Assert.True(next.Exit == 0, next.Out + next.Err);
        Assert.Contains("an earlier apply was interrupted", next.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
        foreach (var file in new[] { "etc/postfix/main.cf", "etc/opendkim.conf", "etc/univention/base.conf", "etc/univention/templates/info/ucs-mail-config.info" })
        {
            Assert.Equal(File.ReadAllText(reference[file]), File.ReadAllText(host[file]));
        }

        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain"), "--check").Exit);
    }

    [Fact]
    public void Two_applies_at_once_take_turns_and_leave_a_complete_state()
    {
        using var host = new ApplySandbox();
        var args = new[] { "apply", ApplySandbox.Example("multi-domain") }.Concat(host.HostArguments("--lock-wait", "120")).ToArray();

        using var first = ApplySandbox.StartCliProcess(args);
        using var second = ApplySandbox.StartCliProcess(args);
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        Assert.True(first.WaitForExit(240_000) && second.WaitForExit(240_000));

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, string.Join("\n", outputs.Select(o => o.Out.Result + o.Err.Result)));
        var results = outputs.Select(o => o.Out.Result).ToList();
        Assert.Single(results, r => r.Contains("applied:", StringComparison.Ordinal));
        Assert.Single(results, r => r.Contains("unchanged:", StringComparison.Ordinal));
        Assert.Single(host.UcrInvocations(), i => i == "register ucs-mail-config");
        Assert.Equal(0, host.Apply(ApplySandbox.Example("multi-domain"), "--check").Exit);
    }

    [Fact]
    public void A_second_apply_that_cannot_get_the_lock_in_time_fails_clearly_and_changes_nothing()
    {
        using var host = new ApplySandbox();
        Directory.CreateDirectory(host["var/lib/ucs-mail-config"]);
        using var held = new FileStream(host["var/lib/ucs-mail-config/lock"], FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var before = host.Snapshot();

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--lock-wait", "1");

        Assert.Equal(5, result.Exit);
        Assert.Contains("was not released within 1 s", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }
}
