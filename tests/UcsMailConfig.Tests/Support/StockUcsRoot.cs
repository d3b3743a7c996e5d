using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.UcrFixture;

namespace UcsMailConfig.Tests.Support;

/// <summary>
/// A fresh root directory that looks like a UCS mail server to the ucr fixture: the stand-in
/// stock Postfix templates from tests/fixtures/stock-ucs and UCS's default variables; under
/// the system temp folder, or under <c>parent</c> (see <see cref="TempDirectory"/>).
/// </summary>
public sealed class StockUcsRoot : IDisposable
{
    private readonly TempDirectory _directory;

    public StockUcsRoot(string? parent = null)
    {
        _directory = new TempDirectory("ucsmail-root", parent);
        CopyTree(System.IO.Path.Combine(RepoPaths.Root, "tests", "fixtures", "stock-ucs"), Path);
        File.Delete(System.IO.Path.Combine(Path, "README.md"));
        Ucr("set",
            "hostname=mail", "domainname=example.com", "mail/postfix/inet/protocols=all",
            "mail/postfix/maximal_queue_lifetime=5d", "mail/postfix/bounce_queue_lifetime=5d",
            "mail/postfix/delay_warning_time=0h", "mail/messagesizelimit=10240000",
            // What 60_tls's Python block prints when these are unset (UCS 5 source).
            "mail/postfix/smtpd/tls/mandatory_protocols=!SSLv2", "mail/postfix/smtpd/tls/exclude_ciphers=RC4, aNULL",
            "mail/postfix/ssl/certificate=/etc/univention/ssl/mail.example.com/cert.pem",
            "mail/postfix/ssl/key=/etc/univention/ssl/mail.example.com/private.key",
            "mail/postfix/tls/client/level=may", "mail/postfix/tls/client/mandatory_protocols=!SSLv2",
            "mail/postfix/tls/client/protocols=!SSLv2", "mail/postfix/tls/client/exclude_ciphers=RC4, aNULL",
            $"mail/postfix/tls/policy/maps={StockUcsParameters.UcsTlsPolicyMaps}");
        Ucr("register", "univention-mail-postfix");
        File.Copy("/usr/share/postfix/master.cf.dist", this["etc/postfix/master.cf"]);
    }

    public string Path => _directory.Path;

    public string this[string relative] => System.IO.Path.Combine(Path, relative.TrimStart('/'));

    /// <summary>What a UCS admin would do by hand with a render: copy it, register it, set the variables, commit.</summary>
    public void Install(RenderedTree tree)
    {
        tree.WriteTo(Path);
        if (tree.Files.ContainsKey(TemplateCatalog.OutputPath(TemplateCatalog.Info)))
        {
            Ucr("register", "ucs-mail-config");
        }

        var variables = File.ReadAllLines(this[TemplateCatalog.OutputPath(TemplateCatalog.UcrVariables)])
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToArray();
        if (variables.Length > 0)
        {
            Ucr(["set", .. variables]);
        }

        Ucr("commit", "/etc/postfix/main.cf");
    }

    public ProgramResult Ucr(params string[] args)
    {
        var result = UcrFixtureRunner.Run(Path, args);
        Assert.True(result.ExitCode == 0, $"ucr {string.Join(' ', args)} failed: {result}");
        return result;
    }

    public void Dispose() => _directory.Dispose();

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
