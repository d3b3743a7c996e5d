using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Apply with the tls and webapp sections: the policy table is compiled with the real postmap
/// after ucr commit and rolled back with everything else; the S/MIME plugin's version is read
/// with dpkg-query (a stub here) and an old one draws a warning, never a failure.
/// </summary>
public sealed class ApplyTlsSmimeTests
{
    private static readonly string Example = ApplySandbox.Example("tls-smime");

    [Fact]
    public void Apply_compiles_the_policy_table_after_commit_and_postfix_sees_it()
    {
        using var host = new ApplySandbox();
        var dpkg = host.WriteStub("dpkg-query", "printf 'installed\\t2.2.2.240+23.1'");

        var result = host.Apply(Example, "--dpkg-query", dpkg);

        Assert.True(result.Exit == 0, $"{result.Out}\n{result.Err}");
        var table = host["etc/postfix/tls_policy_ucs-mail-config"];
        Assert.True(File.Exists(table + ".db"), result.Out);
        var query = ExternalProgram.Run(ExternalProgram.Find("postmap"), ["-c", host["etc/postfix"], "-q", "partner.example.net", "hash:" + table]);
        Assert.Equal("secure", query.StdOut.Trim());
        var ran = result.Out.Split('\n').Where(l => l.StartsWith("ran: ", StringComparison.Ordinal)).ToList();
        var commit = ran.FindLastIndex(l => l.Contains(" commit ", StringComparison.Ordinal));
        var postmap = ran.FindIndex(l => l.Contains($"hash:{table} ", StringComparison.Ordinal));
        Assert.True(commit >= 0 && postmap > commit, string.Join('\n', ran));
        Assert.Equal("hash:/etc/postfix/tls_policy_ucs-mail-config, hash:/etc/postfix/tls_policy", host.Host.Ucr("get", "mail/postfix/tls/policy/maps").StdOut.Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(host["etc/kopano/webapp/config-smime.php"]));

        var again = host.Apply(Example, "--dpkg-query", dpkg);
        Assert.True(again.Out.Contains("unchanged", StringComparison.Ordinal), again.Out + again.Err);
        // Only drift detection's read of the effective values runs.
        Assert.All(again.Out.Split('\n').Where(l => l.StartsWith("ran: ", StringComparison.Ordinal)), l => Assert.StartsWith("ran: " + ExternalProgram.Find("postconf") + " -c ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Registering_diverts_the_package_original_of_config_smime_php()
    {
        using var host = new ApplySandbox();
        var original = "<?php\ndefine('PLUGIN_SMIME_CIPHER', OPENSSL_CIPHER_3DES);\n";
        Directory.CreateDirectory(host["etc/kopano/webapp"]);
        File.WriteAllText(host["etc/kopano/webapp/config-smime.php"], original);
        var dpkg = host.WriteStub("dpkg-query", "printf 'installed\\t2.2.2.240+23.1'");

        var result = host.Apply(Example, "--dpkg-query", dpkg);

        Assert.True(result.Exit == 0, $"{result.Out}\n{result.Err}");
        Assert.Equal(original, File.ReadAllText(host["etc/kopano/webapp/config-smime.php.debian"]));
        Assert.Contains("OPENSSL_CIPHER_AES_256_CBC", File.ReadAllText(host["etc/kopano/webapp/config-smime.php"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_after_postmap_rolls_back_the_table_and_its_compiled_db()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(Example);
        var before = host.Snapshot();
        var postfix = host.WriteStub("postfix", "if [ \"$3\" = check ]; then echo 'postfix/postfix-script: fatal: injected check failure' >&2; exit 1; fi\nexec /usr/sbin/postfix \"$@\"");
        var dpkg = host.WriteStub("dpkg-query", "exit 1");

        var result = host.Apply(Example, "--postfix", postfix, "--dpkg-query", dpkg);

        Assert.True(result.Exit == 3, $"{result.Out}\n{result.Err}");
        Assert.Contains($"hash:{host["etc/postfix/tls_policy_ucs-mail-config"]} (exit 0", result.Out, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.False(File.Exists(host["etc/postfix/tls_policy_ucs-mail-config.db"]));
    }

    [Fact]
    public void A_table_postmap_rejects_is_refused_before_anything_changes()
    {
        using var host = new ApplySandbox();
        host.CreateKeys(Example);
        var before = host.Snapshot();
        var postmap = host.WriteStub("postmap", "echo 'postmap: fatal: injected table error' >&2; exit 1");
        var dpkg = host.WriteStub("dpkg-query", "exit 1");

        var result = host.Apply(Example, "--postmap", postmap, "--dpkg-query", dpkg);

        Assert.True(result.Exit == 5, $"{result.Out}\n{result.Err}");
        Assert.Contains("injected table error", result.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", result.Out, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Theory]
    [InlineData("printf 'installed\\t2.2.0.100+1.1'", true)]
    [InlineData("printf 'installed\\t2.2.0.161'", true)]
    [InlineData("printf 'installed\\t2.2.0.162'", false)]
    [InlineData("printf 'installed\\t2.2.2.240+23.1'", false)]
    [InlineData("printf 'installed\\t1:2.0'", false)]
    [InlineData("echo 'dpkg-query: no packages found matching kopano-webapp-plugin-smime' >&2; exit 1", false)]
    [InlineData("printf 'config-files\\t2.1.0.1'", false)]
    public void An_installed_plugin_older_than_2_2_0_162_draws_a_warning(string dpkgAnswer, bool warned)
    {
        using var host = new ApplySandbox();
        var dpkg = host.WriteStub("dpkg-query", dpkgAnswer);

        var result = host.Apply(Example, "--dpkg-query", dpkg);

        Assert.True(result.Exit == 0, $"{result.Out}\n{result.Err}");
        // The sandbox activates the example's DKIM selector with --activate-without-dns, which warns too.
        var warnings = result.Err.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal) && !IsDkimOverride(l)).ToList();
        if (warned)
        {
            var warning = Assert.Single(warnings);
            Assert.Contains("kopano-webapp-plugin-smime", warning, StringComparison.Ordinal);
            Assert.Contains("older than 2.2.0.162", warning, StringComparison.Ordinal);
            Assert.Contains("Outlook", warning, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void The_json_report_carries_the_version_warning()
    {
        using var host = new ApplySandbox();
        var dpkg = host.WriteStub("dpkg-query", "printf 'installed\\t2.2.0.100'");

        var result = host.Apply(Example, "--json", "--dpkg-query", dpkg);

        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        // The policy's own warnings (FILE:LINE:COL: UMCnnn) are there too.
        var warning = Assert.Single(json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => !IsDkimOverride(w) && !w.StartsWith(Example + ":", StringComparison.Ordinal));
        Assert.Contains("older than 2.2.0.162", warning, StringComparison.Ordinal);
    }

    private static bool IsDkimOverride(string warning) => warning.Contains("(--activate-without-dns)", StringComparison.Ordinal);

    [Fact]
    public void Without_the_webapp_section_dpkg_is_never_asked()
    {
        using var host = new ApplySandbox();
        var marker = host["var/tmp/dpkg-query-ran"];
        var dpkg = host.WriteStub("dpkg-query", $"mkdir -p \"$(dirname '{marker}')\"; touch '{marker}'; printf 'installed\\t1.0'");

        var result = host.Apply(ApplySandbox.Example("single-domain"), "--dpkg-query", dpkg);

        Assert.True(result.Exit == 0, $"{result.Out}\n{result.Err}");
        Assert.False(File.Exists(marker));
        Assert.DoesNotContain(result.Err.Split('\n'), l => l.StartsWith("warning: ", StringComparison.Ordinal) && !IsDkimOverride(l));
    }
}
