using UcsMailConfig.Dkim;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;

namespace UcsMailConfig.Tests.Support;

/// <summary>
/// A policy file and a root folder for its key files, both in a fresh temporary folder: what
/// the dns, dns check and rotate tests run against. Keys are made by the real key store.
/// </summary>
public sealed class KeyedPolicy : IDisposable
{
    /// <summary>example.com with one active selector s1, SPF and DMARC.</summary>
    public const string OneDomain = """
        version: 1
        domains:
          example.com:
            dkim:
              selectors:
                s1: {}
            spf:
              mechanisms: [mx, "ip4:192.0.2.0/24"]
              all: fail
            dmarc:
              policy: reject
              rua: ["mailto:dmarc@example.com"]
        """;

    private readonly TempDirectory _directory = new("ucsmail-keyed");

    public KeyedPolicy(string yaml = OneDomain, bool createKeys = true)
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(PolicyPath, yaml + "\n");
        if (createKeys)
        {
            DkimKeyStore.EnsureKeys(Load(), Root);
        }
    }

    public string PolicyPath => _directory.Combine("mail-policy.yaml");

    public string Root => _directory.Combine("root");

    public MailPolicy Load()
    {
        var result = PolicyLoader.LoadFile(PolicyPath);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format(PolicyPath))));
        return result.Policy!;
    }

    /// <summary>Where a server path lands below <see cref="Root"/>.</summary>
    public string this[string serverPath] => DkimKeyStore.PathUnder(Root, serverPath);

    /// <summary>The zone form as <c>dns</c> prints it for this policy and its keys.</summary>
    public string ZoneForm()
    {
        var result = CliRun.Run("dns", PolicyPath, "--root", Root, "--format", "zone");
        Assert.True(result.Exit == 0, result.ToString());
        return result.Stdout;
    }

    public void Dispose() => _directory.Dispose();
}
