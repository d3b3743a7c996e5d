using System.Text.Json;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// A failed apply leaves the host as it was: every file byte-identical (UCR's variables live in
/// base.conf, so they are covered too) and exit 3. One step fails on purpose in each test.
/// </summary>
public sealed class ApplyFailureTests
{
    private static void AssertRolledBack(ApplySandbox host, IReadOnlyDictionary<string, string> before, (int Exit, string Out, string Err) result, string failure)
    {
        Assert.True(result.Exit == 3, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        Assert.True(result.Err.Contains(failure, StringComparison.Ordinal), result.Err);
        Assert.Equal(before, host.Snapshot());
        Assert.False(Directory.Exists(host["var/lib/ucs-mail-config/journal"]));
    }

    [Fact]
    public void Ucr_commit_fails()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit exec {host.UcrProgram} \"$@\"");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--ucr", ucr);

        AssertRolledBack(host, before, result, "injected failure in commit");
        Assert.Contains("rolled back", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Postfix_check_fails()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        var postfix = host.WriteStub("postfix", "if [ \"$3\" = check ]; then echo 'postfix/postfix-script: fatal: injected check failure' >&2; exit 1; fi\nexec /usr/sbin/postfix \"$@\"");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--postfix", postfix);

        AssertRolledBack(host, before, result, "injected check failure");
    }

    [Fact]
    public void Opendkim_check_of_the_live_configuration_fails()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        // The staging check passes (it runs on a copy in ucs-mail-config-staging-*); the live one fails.
        var opendkim = host.WriteStub("opendkim", "case \"$3\" in *staging*) exec /usr/sbin/opendkim \"$@\";; esac\necho 'opendkim: injected configuration error' >&2; exit 78");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--opendkim", opendkim);

        AssertRolledBack(host, before, result, "injected configuration error");
    }

    [Fact]
    public void A_folder_where_a_template_must_go_is_refused_before_anything_is_written()
    {
        using var host = new ApplySandbox();
        // This once made the write of that file fail after others had succeeded (and roll back);
        // the planner reads every managed file through TrustedRead now and refuses it up front.
        // Rollback after a part of the changes is covered by ApplyRollbackFaultTests (a full disk).
        var signingTable = host["etc/univention/templates/files/etc/opendkim/SigningTable"];
        Directory.CreateDirectory(signingTable);
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--json");

        Assert.True(result.Exit == 5, $"{result.Out}\n{result.Err}");
        using var report = JsonDocument.Parse(result.Out);
        Assert.Equal("refused", report.RootElement.GetProperty("outcome").GetString());
        Assert.Contains(signingTable, result.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void A_failed_update_puts_back_the_previous_configuration_and_variables()
    {
        using var host = new ApplySandbox();
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        host.CreateKeys(ApplySandbox.Example("multi-domain"));
        var before = host.Snapshot();
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit exec {host.UcrProgram} \"$@\"");

        var result = host.Apply(ApplySandbox.Example("multi-domain"), "--ucr", ucr);

        AssertRolledBack(host, before, result, "injected failure in commit");
        Assert.Equal("1h", host.Host.Ucr("get", "mail/postfix/maximal_queue_lifetime").StdOut.Trim());
    }

    [Fact]
    public void A_failure_after_the_reloads_rolls_back_and_reloads_the_old_configuration()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("single-domain"));
        var before = host.Snapshot();
        var restarts = Path.Combine(host.Root, "..", $"restarts-{Guid.NewGuid():N}");
        // OpenDKIM counts as running; its restart plants a folder where the new state.json's
        // temporary file must go (the CLI runs in this process), so the state write after the reloads fails.
        var temporary = host[$"var/lib/ucs-mail-config/.state.json.ucs-mail-config-{Environment.ProcessId}.tmp"];
        var systemctl = host.WriteStub("systemctl", $"""
            [ "$1" = is-active ] && exit 0
            echo "$*" >> "{restarts}"
            mkdir -p "{temporary}"
            """);

        try
        {
            var result = host.Apply(ApplySandbox.Example("single-domain"), "--systemctl", systemctl);

            AssertRolledBack(host, before, result, "writing failed: cannot open a temporary file beside");
            Assert.Equal(["restart opendkim", "restart opendkim"], File.ReadAllLines(restarts));
        }
        finally
        {
            File.Delete(restarts);
        }
    }

    [Fact]
    public void A_rollback_puts_state_json_back_as_root_s_0600()
    {
        using var host = new ApplySandbox();
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        var state = host["var/lib/ucs-mail-config/state.json"];
        File.SetUnixFileMode(state, (UnixFileMode)0b110_100_000);
        var content = File.ReadAllText(state);
        host.CreateKeys(ApplySandbox.Example("multi-domain"));
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit exec {host.UcrProgram} \"$@\"");

        var result = host.Apply(ApplySandbox.Example("multi-domain"), "--ucr", ucr);

        Assert.True(result.Exit == 3, $"{result.Out}\n{result.Err}");
        Assert.Equal(content, File.ReadAllText(state));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(state));
    }

    [Fact]
    public void A_configuration_the_real_tools_reject_is_refused_before_anything_changes()
    {
        using var host = new ApplySandbox();
        var before = host.Snapshot();
        var invocations = host.UcrInvocations().Count;

        // Valid for the policy's syntax, unknown to Postfix: postconf warns "unused parameter".
        var result = host.Apply(host.WritePolicy("version: 1\npostfix:\n  parameters:\n    smtpd_no_such_parameter: yes\n"));

        Assert.Equal(5, result.Exit);
        Assert.Contains("fails its check before anything was changed", result.Err, StringComparison.Ordinal);
        Assert.Contains("unused parameter: smtpd_no_such_parameter=yes", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Equal(invocations, host.UcrInvocations().Count);
    }

    [Fact]
    public void A_rollback_step_that_fails_but_leaves_everything_as_it_was_is_still_a_rollback()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(ApplySandbox.Example("queue-only"));
        var before = host.Snapshot();
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit,set exec {host.UcrProgram} \"$@\"");

        // queue-only: the apply's own 'set' fails before it changes anything, and so does the
        // rollback's; the variables are checked afterwards and are as they were.
        var result = host.Apply(ApplySandbox.Example("queue-only"), "--ucr", ucr);

        AssertRolledBack(host, before, result, "rollback: ");
        Assert.DoesNotContain("not as before", result.Err, StringComparison.Ordinal);
    }
}
