using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Validate;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Golden;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Acceptance;

/// <summary>
/// The real tools read what the tls and webapp sections render, after the ucr fixture joined it
/// with the stand-in stock fragments (60_tls writes smtpd_use_tls = yes and the client lines from
/// UCR variables): postconf without a warning, postmap on the policy table, php on config-smime.php.
/// </summary>
public sealed class TlsAndSmimeAcceptanceTests
{
    private static readonly string Example = Path.Combine(RepoPaths.Examples, "tls-smime", "mail-policy.yaml");

    [Fact]
    public void Postconf_reads_the_tls_settings_with_zero_warnings_each_written_once()
    {
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Example));

        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-n"]);

        Assert.True(postconf.ExitCode == 0, postconf.ToString());
        Assert.True(postconf.StdErr.Length == 0, $"postconf warned:\n{postconf.StdErr}\nmain.cf:\n{File.ReadAllText(root["etc/postfix/main.cf"])}");
        var settings = Settings(postconf.StdOut);
        Assert.Equal("may", settings["smtp_tls_security_level"]);
        Assert.Equal(">=TLSv1.2", settings["smtp_tls_mandatory_protocols"]);
        Assert.Equal(">=TLSv1.2", settings["smtpd_tls_mandatory_protocols"]);
        Assert.Equal("may", settings["smtpd_tls_security_level"]);
        Assert.Equal("yes", settings["smtpd_use_tls"]);
        Assert.Equal("dnssec", settings["smtp_dns_support_level"]);
        Assert.Equal("hash:/etc/postfix/tls_policy_ucs-mail-config, hash:/etc/postfix/tls_policy", settings["smtp_tls_policy_maps"]);
        var lines = File.ReadAllLines(root["etc/postfix/main.cf"]);
        foreach (var parameter in new[] { "smtp_tls_security_level", "smtp_tls_policy_maps", "smtpd_tls_security_level", "smtpd_tls_mandatory_protocols" })
        {
            Assert.Single(lines, l => l.StartsWith(parameter + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Postconf_would_warn_if_the_client_level_were_written_a_second_time()
    {
        // The negative control: the single-line assertion above matters because Postfix notices.
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Example));
        File.AppendAllText(root["etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config"], "smtp_tls_security_level = encrypt\n");
        root.Ucr("commit", "/etc/postfix/main.cf");

        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-n"]);

        Assert.Contains("overriding earlier entry", postconf.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_table_compiles_with_postmap_and_answers_each_destination()
    {
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Example));
        var table = root["etc/postfix/tls_policy_ucs-mail-config"];

        var postmap = ExternalProgram.Run(ExternalProgram.Find("postmap"), ["-c", root["etc/postfix"], "hash:" + table]);

        Assert.True(postmap.ExitCode == 0 && postmap.StdErr.Length == 0, postmap.ToString());
        Assert.True(File.Exists(table + ".db"));
        foreach (var (destination, level) in new[] { ("example.org", "dane"), ("partner.example.net", "secure"), ("[smtp.payroll.example]:587", "encrypt") })
        {
            var query = ExternalProgram.Run(ExternalProgram.Find("postmap"), ["-c", root["etc/postfix"], "-q", destination, "hash:" + table]);
            Assert.True(query.ExitCode == 0, $"{destination}: {query}");
            Assert.Equal(level, query.StdOut.Trim());
        }

        var registered = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-h", "smtp_tls_policy_maps"]);
        Assert.StartsWith("hash:/etc/postfix/tls_policy_ucs-mail-config", registered.StdOut.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Postmap_would_reject_a_table_line_without_a_level()
    {
        // The negative control for the table test: postmap does complain about a malformed line.
        using var directory = new TempDirectory();
        var table = directory.Combine("tls_policy");
        File.WriteAllText(directory.Combine("main.cf"), "");
        File.WriteAllText(table, "example.org\n");

        var postmap = ExternalProgram.Run(ExternalProgram.Find("postmap"), ["-c", directory.Path, "hash:" + table]);

        Assert.Contains("expected format", postmap.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes-256-cbc", "OPENSSL_CIPHER_AES_256_CBC")]
    [InlineData("aes-192-cbc", "OPENSSL_CIPHER_AES_192_CBC")]
    [InlineData("aes-128-cbc", "OPENSSL_CIPHER_AES_128_CBC")]
    public void Php_reads_config_smime_php_and_gets_the_chosen_cipher(string cipher, string constant)
    {
        using var root = new StockUcsRoot();
        root.Install(Render($"version: 1\nwebapp:\n  smime:\n    cipher: {cipher}\n    ca_certificates: [/etc/ssl/certs, \"/etc/univention/ssl/ucsCA/CAcert.pem\"]\n"));
        var config = root["etc/kopano/webapp/config-smime.php"];

        var lint = ExternalProgram.Run(Php, ["-l", config]);
        var included = ExternalProgram.Run(Php, ["-r", "include $argv[1]; echo PLUGIN_SMIME_CIPHER, '|', PLUGIN_SMIME_CACERTS, '|', var_export(PLUGIN_SMIME_ENABLE_OCSP, true);", config]);
        var expected = ExternalProgram.Run(Php, ["-r", $"echo {constant}, '|', OPENSSL_CIPHER_3DES;"]).StdOut.Split('|');

        Assert.True(lint.ExitCode == 0, $"{lint}\n{File.ReadAllText(config)}");
        Assert.True(included.ExitCode == 0 && included.StdErr.Length == 0, included.ToString());
        Assert.Equal($"{expected[0]}|/etc/ssl/certs;/etc/univention/ssl/ucsCA/CAcert.pem|true", included.StdOut);
        Assert.NotEqual(expected[1], included.StdOut.Split('|')[0]);
    }

    [Theory]
    [InlineData("3des")]
    [InlineData("des-ede3-cbc")]
    [InlineData("DES-EDE3-CBC")]
    [InlineData("OPENSSL_CIPHER_3DES")]
    [InlineData("des")]
    [InlineData("rc2-40")]
    [InlineData("aes-256-gcm")]
    public void A_weak_or_unsupported_cipher_cannot_be_selected(string cipher)
    {
        var result = PolicyLoader.Load($"version: 1\nwebapp:\n  smime:\n    cipher: {cipher}\n");

        Assert.Null(result.Policy);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCode.InvalidChoice, 4, 13), (error.Code, error.Position.Line, error.Position.Column));
    }

    [Fact]
    public void No_cipher_the_model_can_hold_renders_3des()
    {
        // The type itself has no weak member, so no code path can render one.
        foreach (var cipher in PolicySchema.SmimeCiphers)
        {
            var model = RenderModelDeriver.Derive(PolicyLoader.Load($"version: 1\nwebapp:\n  smime:\n    cipher: {cipher}\n").Policy!);
            var value = model.KopanoSmime!.Defines.Single(d => d.Name == "PLUGIN_SMIME_CIPHER").Value;
            Assert.Matches("^OPENSSL_CIPHER_AES_(128|192|256)_CBC$", value);
        }

        Assert.DoesNotContain(Enum.GetNames<UcsMailConfig.Policy.Model.SmimeCipher>(), n => n.Contains("Des", StringComparison.OrdinalIgnoreCase) || n.Contains("Rc2", StringComparison.OrdinalIgnoreCase));
    }

    private static string Php => ExternalProgram.Find("php");

    private static RenderedTree Render(string yaml)
    {
        var loaded = PolicyLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Diagnostics));
        return TreeRenderer.Render(RenderModelDeriver.Derive(loaded.Policy!));
    }

    private static Dictionary<string, string> Settings(string postconfOutput) =>
        postconfOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(" = ", 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");
}
