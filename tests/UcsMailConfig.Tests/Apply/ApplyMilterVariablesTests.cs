using System.Text.Json;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Tests.UcrFixture;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Our milters go through UCS's milter variables (DESIGN.md rule 2) where the host's stock
/// 70_milter writes a list, beside other packages' and the admin's entries, which apply keeps
/// and reports; where it writes none (or there is no 70_milter), our fragment writes the list.
/// Checked with real postconf on the sandbox host and its 70_milter stand-in.
/// </summary>
public sealed class ApplyMilterVariablesTests
{
    private const string Before = "mail/postfix/smtpd_milters/10_sendercheck";
    private const string After = "mail/postfix/smtpd_milters/90_admin";
    private const string Ours = "mail/postfix/smtpd_milters/50_ucs-mail-config_";

    // rspamd for SMTP mail only, then OpenDKIM for all mail.
    private const string TwoMilters = "version: 1\npostfix:\n  milters:\n    chain:\n      - {name: rspamd, socket: localhost:11332, applies_to: [smtpd]}\n      - {name: opendkim}\n"
        + "dkim:\n  socket: localhost:8891\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n";

    private const string Info = "etc/univention/templates/info/univention-mail-postfix.info";
    private const string MilterTemplate = "etc/univention/templates/files/etc/postfix/main.cf.d/70_milter";
    private const string MilterStanza = "Type: subfile\nMultifile: etc/postfix/main.cf\nSubfile: etc/postfix/main.cf.d/70_milter\nVariables: mail/postfix/smtpd_milters/.*\n";

    [Fact]
    public void Foreign_milters_before_and_after_ours_run_in_key_order_are_kept_and_reported()
    {
        using var host = new ApplySandbox();
        host.Host.Ucr("set", $"{Before}=inet:localhost:10030", $"{After}=inet:localhost:10040");

        var result = host.Apply(host.WritePolicy(TwoMilters), "--json");

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Equal("inet:localhost:10030 inet:localhost:11332 inet:localhost:8891 inet:localhost:10040", Postconf(host, "-h", "smtpd_milters"));
        Assert.Equal("inet:localhost:8891", Postconf(host, "-h", "non_smtpd_milters"));
        AssertNoPostconfWarning(host);
        Assert.Single(File.ReadAllLines(host["etc/postfix/main.cf"]), l => l.StartsWith("smtpd_milters", StringComparison.Ordinal));
        using var report = JsonDocument.Parse(result.Out);
        var notes = report.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notes, n => n.Contains($"kept the milter variable {Before}=inet:localhost:10030", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains($"kept the milter variable {After}=inet:localhost:10040", StringComparison.Ordinal));

        // Dropping our milters unsets only ours; the others stay, in Postfix too.
        var queueOnly = host.Apply(host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n"));

        Assert.True(queueOnly.Exit == 0, queueOnly.Out + queueOnly.Err);
        Assert.Contains($"kept the milter variable {Before}", queueOnly.Out, StringComparison.Ordinal);
        Assert.Equal("inet:localhost:10030 inet:localhost:10040", Postconf(host, "-h", "smtpd_milters"));
        Assert.Equal("inet:localhost:10030", host.Host.Ucr("get", Before).StdOut.Trim());
        Assert.DoesNotContain(Ours, File.ReadAllText(host["etc/univention/base.conf"]), StringComparison.Ordinal);
        AssertNoPostconfWarning(host);
    }

    [Fact]
    public void Diff_reports_the_foreign_milters_and_our_variables()
    {
        using var host = new ApplySandbox();
        host.Host.Ucr("set", $"{Before}=inet:localhost:10030");

        var diff = host.Diff(host.WritePolicy(TwoMilters));

        Assert.True(diff.Exit == 2, diff.Out + diff.Err);
        Assert.Contains($"{Ours}01_rspamd", diff.Out, StringComparison.Ordinal);
        Assert.Contains($"kept the milter variable {Before}=inet:localhost:10030", diff.Out + diff.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_without_70_milter_gets_both_lists_from_our_fragment_and_no_milter_variable()
    {
        using var host = new ApplySandbox();
        File.WriteAllText(host[Info], File.ReadAllText(host[Info]).Replace(MilterStanza + "\n", "", StringComparison.Ordinal));
        File.Delete(host[MilterTemplate]);
        host.Host.Ucr("update");
        host.Host.Ucr("set", $"{Before}=inet:localhost:10030");

        var result = host.Apply(host.WritePolicy(TwoMilters));

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Equal("inet:localhost:11332, inet:localhost:8891", Postconf(host, "-h", "smtpd_milters"));
        Assert.Equal("inet:localhost:8891", Postconf(host, "-h", "non_smtpd_milters"));
        AssertNoPostconfWarning(host);
        Assert.DoesNotContain(Ours, File.ReadAllText(host["etc/univention/base.conf"]), StringComparison.Ordinal);
        Assert.Contains($"kept the milter variable {Before}=inet:localhost:10030 that UCS or an admin set; it has no effect", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_host_without_70_milter_status_and_apply_check_agree_that_nothing_is_pending()
    {
        using var host = new ApplySandbox();
        File.WriteAllText(host[Info], File.ReadAllText(host[Info]).Replace(MilterStanza + "\n", "", StringComparison.Ordinal));
        File.Delete(host[MilterTemplate]);
        host.Host.Ucr("update");
        var policy = host.WritePolicy(TwoMilters);
        var applied = host.Apply(policy);
        Assert.True(applied.Exit == 0, applied.Out + applied.Err);

        var check = host.Apply(policy, "--check");
        var status = CliRun.Run("status", "--root", host.Root, "--ucr", UcrFixtureRunner.ScriptPath, "--dns-total", "1");

        Assert.True(check.Exit == 0, check.Out + check.Err);
        Assert.True(status.Exit == 0, status.ToString());
        Assert.DoesNotContain("pending:", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_70_milter_that_writes_non_smtpd_milters_too_gets_both_lists_as_variables()
    {
        using var host = new ApplySandbox();
        File.WriteAllText(host[MilterTemplate],
            "@%@UCRFIXTURE_JOIN=smtpd_milters mail/postfix/smtpd_milters/@%@@%@UCRFIXTURE_JOIN=non_smtpd_milters mail/postfix/non_smtpd_milters/@%@");
        File.WriteAllText(host[Info], File.ReadAllText(host[Info]).Replace(MilterStanza, MilterStanza + "Variables: mail/postfix/non_smtpd_milters/.*\n", StringComparison.Ordinal));
        host.Host.Ucr("update");

        var result = host.Apply(host.WritePolicy(TwoMilters));

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Equal("inet:localhost:11332 inet:localhost:8891", Postconf(host, "-h", "smtpd_milters"));
        Assert.Equal("inet:localhost:8891", Postconf(host, "-h", "non_smtpd_milters"));
        Assert.Equal("inet:localhost:8891", host.Host.Ucr("get", "mail/postfix/non_smtpd_milters/50_ucs-mail-config_02_opendkim").StdOut.Trim());
        Assert.DoesNotContain(File.ReadAllLines(host["etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config"]),
            l => l.StartsWith("smtpd_milters", StringComparison.Ordinal) || l.StartsWith("non_smtpd_milters", StringComparison.Ordinal));
        AssertNoPostconfWarning(host);
    }

    [Fact]
    public void A_failed_apply_puts_our_and_the_foreign_milter_variables_back()
    {
        using var host = new ApplySandbox();
        host.Host.Ucr("set", $"{Before}=inet:localhost:10030");
        Assert.Equal(0, host.Apply(ApplySandbox.Example("single-domain")).Exit);
        host.CreateKeys(ApplySandbox.Example("multi-domain"));
        var before = host.Snapshot();
        var ucr = host.WriteStub("ucr", $"UCR_FIXTURE_FAIL=commit exec {host.UcrProgram} \"$@\"");

        var result = host.Apply(ApplySandbox.Example("multi-domain"), "--ucr", ucr);

        Assert.True(result.Exit == 3, result.Out + result.Err);
        Assert.Equal(before, host.Snapshot());
        Assert.Equal("inet:localhost:12345", host.Host.Ucr("get", $"{Ours}01_opendkim").StdOut.Trim());
        Assert.Equal("", host.Host.Ucr("get", $"{Ours}02_opendkim").StdOut.Trim());
        Assert.Equal("inet:localhost:10030", host.Host.Ucr("get", Before).StdOut.Trim());
        Assert.Equal("inet:localhost:10030 inet:localhost:12345", Postconf(host, "-h", "smtpd_milters"));
    }

    private static string Postconf(ApplySandbox host, params string[] args)
    {
        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", host["etc/postfix"], .. args]);
        Assert.True(postconf.ExitCode == 0, postconf.ToString());
        return postconf.StdOut.Trim();
    }

    private static void AssertNoPostconfWarning(ApplySandbox host)
    {
        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", host["etc/postfix"], "-n"]);
        Assert.True(postconf.ExitCode == 0 && postconf.StdErr.Length == 0, $"{postconf}\n{File.ReadAllText(host["etc/postfix/main.cf"])}");
    }
}
