using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using UcsMailConfig.Policy;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Tests.Import;

/// <summary>
/// The 2017 admin's host, end to end: the four milter lines typed into the stock 10_general
/// (dpkg's record says it differs from the package), inet:localhost:12345, queue lifetimes set
/// with ucr set, a hand-made opendkim.conf with a key for selector 03122017 of example.com, and
/// the SPF record from the admin's policy published on a real named. import takes all of it;
/// after the stock template is restored as import says and the imported policy is applied,
/// postconf gives the same milter and queue values, a real OpenDKIM signs a message as before,
/// and no stock template differs from its package anymore.
/// </summary>
public sealed class Import2017HostTests
{
    private const string Spf = "v=spf1 mx a include:_spf.mail-provider.example -all";
    private const string General = "etc/univention/templates/files/etc/postfix/main.cf.d/10_general";
    private static readonly string[] Compared = ["milter_default_action", "milter_protocol", "smtpd_milters", "non_smtpd_milters", "maximal_queue_lifetime", "bounce_queue_lifetime"];

    [Fact]
    public void ImportedPolicyRunsTheHandMadeSetupFromStockTemplates()
    {
        using var host = new ApplySandbox();
        using var work = new TempDirectory("ucsmail-import");
        var original = Build2017Host(host);
        using var dns = new BindServer($"example.com. IN TXT \"{Spf}\"\n");
        var before = Effective(host.Root);
        var signedBefore = Sign(host.Root, work.Path, "before");

        var imported = work.Combine("mail-policy.yaml");
        var result = host.Cli("import", "--root", host.Root, "--dns-server", dns.Address, "--out", imported, "--json");

        Assert.True(result.Exit == 0, result.Out + result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Empty(json.RootElement.GetProperty("leftOut").EnumerateArray());
        var taken = json.RootElement.GetProperty("taken").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("source"));
        Assert.Equal("/" + General, taken["postfix.milters.default_action"].GetProperty("file").GetString());
        Assert.Equal("hand edit of a stock template", taken["postfix.milters.default_action"].GetProperty("kind").GetString());
        var text = File.ReadAllText(imported);
        Assert.Contains("\"03122017\": {state: active}", text, StringComparison.Ordinal);
        Assert.Contains("mechanisms: [mx, a, include:_spf.mail-provider.example]", text, StringComparison.Ordinal);
        Assert.Matches(@"default_action: accept  # from /etc/univention/templates/files/etc/postfix/main\.cf\.d/10_general:\d+ \(hand edit of a stock template\)", text);
        Assert.NotNull(PolicyLoader.LoadFile(imported).Policy);
        var restore = json.RootElement.GetProperty("steps").EnumerateArray().Single().GetString()!;
        Assert.Contains("restore the original /" + General, restore, StringComparison.Ordinal);
        Assert.Contains("univention-mail-postfix", restore, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(imported));

        // As the step says: the package's file back, then one apply.
        File.WriteAllBytes(host[General], original);
        var apply = host.Apply(imported);

        Assert.True(apply.Exit == 0, apply.Out + apply.Err);
        Assert.Equal(before, Effective(host.Root));
        Assert.Empty(DpkgConffiles.Modified(host.Root, "/etc/univention/templates/files/etc/postfix/"));
        var signedAfter = Sign(host.Root, work.Path, "after");
        Assert.Equal(signedBefore, signedAfter);
    }

    [Fact]
    public void WithoutDnsServerSpfIsLeftOutAndTheExitSaysSo()
    {
        using var host = new ApplySandbox();
        Build2017Host(host);

        var result = host.Cli("import", "--root", host.Root);

        Assert.True(result.Exit == 2, result.Out + result.Err);
        Assert.Contains("left out: SPF and DMARC of example.com", result.Err, StringComparison.Ordinal);
        Assert.Contains("#   SPF and DMARC of example.com", result.Out, StringComparison.Ordinal);
        Assert.NotNull(PolicyLoader.Load(result.Out).Policy);
    }

    /// <summary>Builds the hand-made host and returns 10_general as the package shipped it.</summary>
    internal static byte[] Build2017Host(ApplySandbox host)
    {
        string[] stock = ["10_general", "60_tls", "70_milter", "80_delivery", "99_local"];
        var lines = stock.Select(s => $" /etc/univention/templates/files/etc/postfix/main.cf.d/{s} {Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(host["etc/univention/templates/files/etc/postfix/main.cf.d/" + s])))}");
        Directory.CreateDirectory(host["var/lib/dpkg"]);
        File.WriteAllText(host["var/lib/dpkg/status"],
            "Package: univention-mail-postfix\nStatus: install ok installed\nVersion: 14.0.0\nConffiles:\n" + string.Join('\n', lines) + "\nDescription: stand-in\n\n");

        var original = File.ReadAllBytes(host[General]);
        File.AppendAllText(host[General], "milter_default_action = accept\nmilter_protocol = 6\nsmtpd_milters = inet:localhost:12345\nnon_smtpd_milters = inet:localhost:12345\n");
        host.Host.Ucr("set", "mail/postfix/maximal_queue_lifetime=1h", "mail/postfix/bounce_queue_lifetime=1h");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");

        var keygen = host.Cli("dkim", "keygen", "--domain", "example.com", "--selector", "03122017", "--root", host.Root);
        Assert.True(keygen.Exit == 0, keygen.Err);
        Directory.CreateDirectory(host["etc/opendkim"]);
        File.WriteAllText(host["etc/opendkim.conf"], """
            # hand-made in 2017, from Debian's example
            Syslog                  yes
            UMask                   007
            UserID                  opendkim
            Socket                  inet:12345@localhost
            Mode                    sv
            Canonicalization        relaxed/simple
            OversignHeaders         From
            KeyTable                /etc/opendkim/KeyTable
            SigningTable            refile:/etc/opendkim/SigningTable
            ExternalIgnoreList      /etc/opendkim/TrustedHosts
            InternalHosts           /etc/opendkim/TrustedHosts

            """);
        File.WriteAllText(host["etc/opendkim/KeyTable"], "03122017._domainkey.example.com example.com:03122017:/etc/opendkim/keys/example.com/03122017.private\n");
        File.WriteAllText(host["etc/opendkim/SigningTable"], "*@example.com 03122017._domainkey.example.com\n");
        File.WriteAllText(host["etc/opendkim/TrustedHosts"], "127.0.0.1\n::1\n");
        return original;
    }

    private static Dictionary<string, string> Effective(string root) =>
        Compared.ToDictionary(p => p, p => ExternalProgram.Run("postconf", ["-c", Path.Combine(root, "etc/postfix"), "-h", p]).StdOut.Trim());

    /// <summary>
    /// What a real OpenDKIM (test mode, -t) puts into the signature of one message with the host's
    /// opendkim.conf and tables, paths moved below the root: everything but the time and the
    /// signature bytes, which depend on the second it ran.
    /// </summary>
    private static string Sign(string root, string work, string name)
    {
        string Relocate(string line) => Regex.Replace(line, @"^(\w+\s+(?:refile:)?)/", "$1" + root + "/");
        var keyTable = Path.Combine(work, name + ".KeyTable");
        File.WriteAllLines(keyTable, File.ReadAllLines(Path.Combine(root, "etc/opendkim/KeyTable")).Select(l => l.StartsWith('#') ? l : l.Replace(":/", ":" + root + "/", StringComparison.Ordinal)));
        var conf = Path.Combine(work, name + ".conf");
        // The sandbox lies below /tmp, which others can write: OpenDKIM's safe-key rule is about the real host.
        File.WriteAllLines(conf, File.ReadAllLines(Path.Combine(root, "etc/opendkim.conf"))
            .Where(l => !Regex.IsMatch(l, @"^(Socket|PidFile|UserID|Syslog)\b"))
            .Select(l => Regex.IsMatch(l, @"^KeyTable\s") ? "KeyTable " + keyTable : Relocate(l))
            .Append("RequireSafeKeys false"));
        var message = Path.Combine(work, name + ".eml");
        File.WriteAllText(message, "From: admin@example.com\nTo: bob@example.org\nSubject: 2017\nDate: Mon, 4 Dec 2017 10:00:00 +0000\nMessage-ID: <2017@example.com>\n\nThe reply quotes earlier mail.\n");
        var run = ExternalProgram.Run(ExternalProgram.Find("opendkim"), ["-x", conf, "-t", message, "-vv"], TimeSpan.FromSeconds(30));
        var signature = Regex.Match(run.StdOut + run.StdErr, @"hname='DKIM-Signature' hvalue='([^']*)'");
        Assert.True(signature.Success, $"OpenDKIM did not sign ({name}):\n{run.StdOut}\n{run.StdErr}\n{File.ReadAllText(conf)}");
        return Regex.Replace(Regex.Replace(signature.Groups[1].Value, @"\s+", ""), @"(t=\d+|b=[^;]*)", "");
    }
}
