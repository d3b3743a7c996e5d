using System.Security.Cryptography;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Drift on a sandbox host (real postconf, postfix, opendkim; the ucr fixture): each kind is
/// found by diff with its source, repaired by apply where a commit of ours repairs it (the next
/// apply is a no-op) or refused (exit 5, nothing changed) where another source wins.
/// </summary>
public sealed class DriftTests
{
    private static readonly string Policy = ApplySandbox.Example("single-domain");

    [Theory]
    [InlineData("etc/opendkim.conf", "LogWhy yes", "/etc/opendkim.conf: line")]
    [InlineData("etc/opendkim/SigningTable", "*@* 03122017._domainkey.example.com", "/etc/opendkim/SigningTable: line")]
    [InlineData("etc/postfix/main.cf", "smtpd_milters =", "smtpd_milters: Postfix has '', the policy means 'inet:localhost:12345'")]
    public void A_hand_edit_of_a_generated_file_is_reported_repaired_by_apply_and_the_next_apply_is_a_no_op(string file, string appended, string reported)
    {
        using var host = Applied();
        File.AppendAllText(host[file], appended + "\n");

        var diff = host.Diff(Policy);

        Assert.True(diff.Exit == 2, diff.Out + diff.Err);
        Assert.Contains($"drift: {reported}", diff.Out, StringComparison.Ordinal);
        Assert.Contains("source: hand edit of the generated /etc/", diff.Out, StringComparison.Ordinal);
        var repair = host.Apply(Policy);
        Assert.True(repair.Exit == 0, repair.Out + repair.Err);
        Assert.DoesNotContain(appended + "\n", File.ReadAllText(host[file]), StringComparison.Ordinal);
        Assert.Contains($" commit /{file}", repair.Out, StringComparison.Ordinal);
        AssertNoOp(host);
    }

    [Fact]
    public void Main_cf_local_overriding_a_policy_parameter_is_refused_with_its_source_until_the_line_is_gone()
    {
        using var host = Applied();
        // The admin's file, put into main.cf by the next commit through the stock 99_local (its stand-in includes it too).
        File.WriteAllText(host["etc/postfix/main.cf.local"], "maximal_queue_lifetime = 3d\n");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        Assert.EndsWith("maximal_queue_lifetime = 3d\n", File.ReadAllText(host["etc/postfix/main.cf"]), StringComparison.Ordinal);
        var snapshot = host.Snapshot();

        var diff = host.Diff(Policy);
        var apply = host.Apply(Policy);

        Assert.True(diff.Exit == 5, diff.Out + diff.Err);
        Assert.Contains("maximal_queue_lifetime: main.cf.local has 'maximal_queue_lifetime = 3d', the policy means '1h' (source: /etc/postfix/main.cf.local", diff.Err, StringComparison.Ordinal);
        Assert.Equal(5, apply.Exit);
        Assert.Equal(snapshot, host.Snapshot());

        File.Delete(host["etc/postfix/main.cf.local"]);
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        AssertNoOp(host);
    }

    [Fact]
    public void Another_fragment_writing_our_milter_parameter_is_refused_with_its_name()
    {
        using var host = Applied();
        File.WriteAllText(host["etc/univention/templates/files/etc/postfix/main.cf.d/95_other"], "smtpd_milters =\n");
        File.WriteAllText(host["etc/univention/templates/info/other.info"], "Type: subfile\nMultifile: etc/postfix/main.cf\nSubfile: etc/postfix/main.cf.d/95_other\n");
        host.Host.Ucr("register", "other");
        var snapshot = host.Snapshot();

        var diff = host.Diff(Policy);
        var apply = host.Apply(Policy);

        Assert.True(diff.Exit == 5, diff.Out + diff.Err);
        Assert.Contains("smtpd_milters: etc/univention/templates/files/etc/postfix/main.cf.d/95_other writes it too, beside our fragment (source: another main.cf.d fragment", diff.Err, StringComparison.Ordinal);
        Assert.Equal(5, apply.Exit);
        Assert.Equal(snapshot, host.Snapshot());

        File.Delete(host["etc/univention/templates/info/other.info"]);
        File.Delete(host["etc/univention/templates/files/etc/postfix/main.cf.d/95_other"]);
        host.Host.Ucr("update");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        AssertNoOp(host);
    }

    [Fact]
    public void A_hand_edited_stock_template_is_found_by_dpkgs_record_refused_when_it_writes_a_policy_parameter_and_a_warning_otherwise()
    {
        using var host = Applied();
        var general = host["etc/univention/templates/files/etc/postfix/main.cf.d/10_general"];
        var original = File.ReadAllText(general);
        WriteDpkgStatus(host, "etc/univention/templates/files/etc/postfix/main.cf.d/10_general", "etc/univention/templates/files/etc/postfix/main.cf.d/60_tls");
        AssertNoOp(host);

        // The 2017 admin's edit: the milter lines in 10_general.
        File.WriteAllText(general, original + "smtpd_milters = inet:localhost:12345\n");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        var diff = host.Diff(Policy);

        Assert.True(diff.Exit == 5, diff.Out + diff.Err);
        Assert.Contains("smtpd_milters: etc/univention/templates/files/etc/postfix/main.cf.d/10_general writes it too, beside our fragment (source: a stock UCS template that differs from its package's original", diff.Err, StringComparison.Ordinal);
        Assert.Equal(5, host.Apply(Policy).Exit);

        // A change that touches none of the policy's parameters: reported, not refused.
        File.WriteAllText(general, original + "# a note\n");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        var warned = host.Apply(Policy);
        Assert.True(warned.Exit == 0, warned.Out + warned.Err);
        Assert.Contains("warning: drift: /etc/univention/templates/files/etc/postfix/main.cf.d/10_general: differs from its package's original", warned.Err, StringComparison.Ordinal);
        Assert.Contains("unchanged", warned.Out, StringComparison.Ordinal);
    }

    private static ApplySandbox Applied()
    {
        var host = new ApplySandbox();
        var first = host.Apply(Policy);
        Assert.True(first.Exit == 0, first.Out + first.Err);
        return host;
    }

    private static void AssertNoOp(ApplySandbox host)
    {
        var snapshot = host.Snapshot();
        var again = host.Apply(Policy);
        Assert.True(again.Exit == 0, again.Out + again.Err);
        Assert.Contains("unchanged: the host already matches the policy", again.Out, StringComparison.Ordinal);
        Assert.Equal(snapshot, host.Snapshot());
    }

    /// <summary>dpkg's record of univention-mail-postfix's conffiles, with the MD5 sums of the files as they are now (the originals).</summary>
    private static void WriteDpkgStatus(ApplySandbox host, params string[] conffiles)
    {
        var lines = conffiles.Select(c => $" /{c} {Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(host[c])))}");
        Directory.CreateDirectory(host["var/lib/dpkg"]);
        File.WriteAllText(host["var/lib/dpkg/status"],
            "Package: univention-mail-postfix\nStatus: install ok installed\nVersion: 14.0.0\nConffiles:\n" + string.Join('\n', lines) + "\nDescription: stand-in\n\n");
    }
}
