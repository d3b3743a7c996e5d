using System.Text.Json;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// apply and diff on a sandbox host with the real Postfix and OpenDKIM tools and the ucr
/// fixture: the happy path, idempotence, and what --check, --json, the audit log and diff say.
/// </summary>
public sealed class ApplyTests
{
    [Fact]
    public void Fresh_host_gets_the_policy_values_with_zero_postconf_warnings_and_a_second_apply_runs_nothing()
    {
        using var host = new ApplySandbox();

        var first = host.Apply(ApplySandbox.Example("single-domain"));

        Assert.True(first.Exit == 0, first.Out + first.Err);
        var mainCf = File.ReadAllText(host["etc/postfix/main.cf"]);
        Assert.Contains("maximal_queue_lifetime = 1h\n", mainCf, StringComparison.Ordinal);
        Assert.Contains("smtpd_milters = inet:localhost:12345\n", mainCf, StringComparison.Ordinal);
        Assert.Contains("Socket                  inet:12345@localhost\n", File.ReadAllText(host["etc/opendkim.conf"]), StringComparison.Ordinal);
        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", host["etc/postfix"], "-n"]);
        Assert.True(postconf.ExitCode == 0 && postconf.StdErr.Length == 0, postconf.ToString());

        var invocations = host.UcrInvocations().Count;
        var snapshot = host.Snapshot();
        var second = host.Apply(ApplySandbox.Example("single-domain"), "--json");

        Assert.Equal(0, second.Exit);
        using var report = JsonDocument.Parse(second.Out);
        Assert.False(report.RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal("unchanged", report.RootElement.GetProperty("outcome").GetString());
        // Only reads: Postfix's mynetworks (the signing rule's hosts) and the effective values
        // (drift detection), postconf with parameter names; no ucr, no postfix.
        var ran = report.RootElement.GetProperty("commands").EnumerateArray().ToList();
        Assert.Equal(2, ran.Count);
        Assert.All(ran, r => Assert.EndsWith("postconf", r.GetProperty("command")[0].GetString(), StringComparison.Ordinal));
        Assert.All(ran, r => Assert.DoesNotContain(r.GetProperty("command").EnumerateArray(), a => a.GetString() is "-e" or "-X" or "-#"));
        Assert.Equal(invocations, host.UcrInvocations().Count);
        Assert.Equal(snapshot, host.Snapshot());
    }

    [Fact]
    public void Apply_runs_ucr_register_set_and_commit_for_exactly_the_changed_targets()
    {
        using var host = new ApplySandbox();
        var before = host.UcrInvocations().Count;

        host.Apply(ApplySandbox.Example("single-domain"));

        Assert.Equal(
            [
                "register ucs-mail-config",
                "set mail/postfix/bounce_queue_lifetime=1h mail/postfix/maximal_queue_lifetime=1h mail/postfix/smtpd_milters/50_ucs-mail-config_01_opendkim=inet:localhost:12345",
                "commit /etc/opendkim.conf /etc/opendkim/KeyTable /etc/opendkim/SigningTable /etc/opendkim/TrustedHosts /etc/postfix/main.cf",
            ],
            host.UcrInvocations().Skip(before));
    }

    [Fact]
    public void A_policy_edit_updates_only_what_changed_and_unsets_a_dropped_variable()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n    delay_warning: 2h\n");
        Assert.Equal(0, host.Apply(policy).Exit);
        var before = host.UcrInvocations().Count;

        File.WriteAllText(policy, "version: 1\npostfix:\n  queue:\n    maximal_lifetime: 3h\n");
        var second = host.Apply(policy);

        Assert.True(second.Exit == 0, second.Out + second.Err);
        Assert.Equal(
            ["set mail/postfix/maximal_queue_lifetime=3h", "unset mail/postfix/delay_warning_time", "commit /etc/postfix/main.cf"],
            host.UcrInvocations().Skip(before));
        Assert.Equal("", host.Host.Ucr("get", "mail/postfix/delay_warning_time").StdOut.Trim());
    }

    [Fact]
    public void Turning_dkim_off_removes_our_opendkim_templates_and_updates_the_registration()
    {
        using var host = new ApplySandbox();
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        var before = host.UcrInvocations().Count;

        var result = host.Apply(host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n    bounce_lifetime: 1h\n  milters:\n    chain:\n      - {name: rspamd, socket: localhost:11332}\n"));

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.False(File.Exists(host["etc/univention/templates/files/etc/opendkim.conf"]));
        Assert.DoesNotContain("opendkim", File.ReadAllText(host["etc/univention/templates/info/ucs-mail-config.info"]), StringComparison.Ordinal);
        Assert.Contains("smtpd_milters = inet:localhost:11332\n", File.ReadAllText(host["etc/postfix/main.cf"]), StringComparison.Ordinal);
        // OpenDKIM's milter variable goes; rspamd takes the first place in UCS's milter list.
        Assert.Equal(
            [
                "update",
                "set mail/postfix/smtpd_milters/50_ucs-mail-config_01_rspamd=inet:localhost:11332",
                "unset mail/postfix/smtpd_milters/50_ucs-mail-config_01_opendkim",
                "commit /etc/postfix/main.cf",
            ],
            host.UcrInvocations().Skip(before));
    }

    [Fact]
    public void Check_mode_reports_pending_changes_with_exit_2_and_changes_nothing()
    {
        using var host = new ApplySandbox();
        var snapshot = host.Snapshot();

        var check = host.Apply(ApplySandbox.Example("single-domain"), "--check", "--json");

        Assert.Equal(2, check.Exit);
        using var report = JsonDocument.Parse(check.Out);
        Assert.Equal("pending", report.RootElement.GetProperty("outcome").GetString());
        Assert.False(report.RootElement.GetProperty("changed").GetBoolean());
        Assert.Contains(report.RootElement.GetProperty("files").EnumerateArray(),
            f => f.GetProperty("path").GetString() == "etc/univention/templates/info/ucs-mail-config.info" && f.GetProperty("action").GetString() == "create");
        Assert.Equal(snapshot, host.Snapshot());
        Assert.False(File.Exists(host["var/log/univention/ucs-mail-config.log"]));

        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain"), "--check").Exit);
    }

    [Fact]
    public void Json_report_lists_files_variables_and_every_command_with_exit_code_and_duration()
    {
        using var host = new ApplySandbox();

        var result = host.Apply(ApplySandbox.Example("queue-only"), "--json");

        Assert.Equal(0, result.Exit);
        using var report = JsonDocument.Parse(result.Out);
        var json = report.RootElement;
        Assert.True(json.GetProperty("changed").GetBoolean());
        Assert.Equal(0, json.GetProperty("exitCode").GetInt32());
        Assert.Contains(json.GetProperty("variables").EnumerateArray(),
            v => v.GetProperty("name").GetString() == "mail/postfix/maximal_queue_lifetime" && v.GetProperty("old").GetString() == "5d" && v.GetProperty("new").GetString() == "1h");
        var commands = json.GetProperty("commands").EnumerateArray().ToList();
        Assert.Contains(commands, c => c.GetProperty("command")[1].GetString() == "set" && c.GetProperty("exitCode").GetInt32() == 0);
        Assert.All(commands, c => Assert.True(c.GetProperty("durationMs").GetInt64() >= 0));
    }

    [Fact]
    public void Json_report_for_an_invalid_policy_carries_the_errors()
    {
        using var host = new ApplySandbox();

        var result = host.Apply(host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 2x\n"), "--json");

        Assert.Equal(1, result.Exit);
        using var report = JsonDocument.Parse(result.Out);
        Assert.Equal("invalid", report.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("error UMC020", report.RootElement.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_apply_that_does_something_appends_one_audit_line()
    {
        using var host = new ApplySandbox();

        host.Apply(ApplySandbox.Example("queue-only"));
        host.Apply(ApplySandbox.Example("queue-only"));
        host.Apply(ApplySandbox.Example("single-domain"));

        var lines = File.ReadAllLines(host["var/log/univention/ucs-mail-config.log"]);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ apply outcome=applied policy=\S+ sha256=[0-9a-f]{64} files=\d+ ", l));
    }

    [Fact]
    public void Diff_shows_the_exact_change_after_a_policy_edit_and_exits_2_then_0_after_apply()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(File.ReadAllText(ApplySandbox.Example("single-domain")));
        Assert.Equal(0, host.Apply(policy).Exit);
        Assert.Equal(0, host.Diff(policy).Exit);

        File.WriteAllText(policy, File.ReadAllText(policy).Replace("default_action: accept", "default_action: tempfail", StringComparison.Ordinal));
        var diff = host.Diff(policy);

        Assert.Equal(2, diff.Exit);
        Assert.Contains(
            "--- a/etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config\n" +
            "+++ b/etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config\n",
            diff.Out, StringComparison.Ordinal);
        Assert.Contains("-milter_default_action = accept\n+milter_default_action = tempfail\n", diff.Out, StringComparison.Ordinal);
        Assert.Contains("1 file(s) and 0 UCR variable(s) would change; ucr commit /etc/postfix/main.cf", diff.Out, StringComparison.Ordinal);

        Assert.Equal(0, host.Apply(policy).Exit);
        Assert.Equal(0, host.Diff(policy).Exit);
    }

    [Fact]
    public void Registering_diverts_the_package_original_of_opendkim_conf()
    {
        using var host = new ApplySandbox();
        File.WriteAllText(host["etc/opendkim.conf"], "# Debian's original\n");

        var result = host.Apply(ApplySandbox.Example("single-domain"));

        Assert.True(result.Exit == 0, result.Out + result.Err);

        Assert.Equal("# Debian's original\n", File.ReadAllText(host["etc/opendkim.conf.debian"]));
        Assert.Contains("Generated by ucs-mail-config", File.ReadAllText(host["etc/opendkim.conf"]), StringComparison.Ordinal);
    }
}
