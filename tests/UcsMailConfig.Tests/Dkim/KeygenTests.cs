using System.Security.Cryptography;
using UcsMailConfig.Dkim;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dkim;

/// <summary>
/// <c>dkim keygen</c> and the key store through the real file system: modes, owner, folders,
/// never overwriting, the sizes offered, and the record printed in both forms.
/// </summary>
public sealed class KeygenTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _root = new("ucsmail-keygen");

    public void Dispose() => _root.Dispose();

    private string KeyFile(string domain = "example.com", string selector = "20261128") =>
        DkimKeyStore.PathUnder(_root.Path, $"/etc/opendkim/keys/{domain}/{selector}.private");

    [Fact]
    public void Keygen_writes_an_opendkim_0600_rsa_2048_pem_in_root_owned_folders()
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "20261128", "--root", _root.Path);

        Assert.True(result.Exit == 0, result.ToString());
        var file = KeyFile();
        Assert.Equal(("opendkim:opendkim", "600"), OwnerAndMode(file));
        Assert.Equal(("root:opendkim", "750"), OwnerAndMode(Path.GetDirectoryName(file)!));
        Assert.Equal(("root:opendkim", "750"), OwnerAndMode(_root.Combine("etc", "opendkim", "keys")));
        // The folder of root's KeyTable and SigningTable stays root's.
        Assert.Equal(("root:root", "755"), OwnerAndMode(_root.Combine("etc", "opendkim")));
        Assert.Equal(("root:root", "755"), OwnerAndMode(_root.Combine("etc")));
        Assert.Equal(["20261128.private"], Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!).Select(Path.GetFileName));

        var pem = File.ReadAllText(file);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Contains($"p={DkimPublicKey.FromRsa(rsa).Base64}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_never_overwrites_an_existing_key()
    {
        var file = KeyFile();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "the admin's precious key\n");
        var before = File.GetLastWriteTimeUtc(file);

        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "20261128", "--root", _root.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("exists already; an existing key is never overwritten", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.Equal("the admin's precious key\n", File.ReadAllText(file));
        Assert.Equal(before, File.GetLastWriteTimeUtc(file));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public void Keygen_a_second_time_keeps_the_first_key()
    {
        Assert.Equal(0, CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--root", _root.Path).Exit);
        var first = File.ReadAllBytes(KeyFile(selector: "s1"));

        var second = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--root", _root.Path);

        Assert.Equal(1, second.Exit);
        Assert.Equal(first, File.ReadAllBytes(KeyFile(selector: "s1")));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(2047)]
    [InlineData(2049)]
    [InlineData(8192)]
    public void Keygen_refuses_sizes_that_are_not_offered(int bits)
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", $"{bits}", "--root", _root.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains("2048 (the default), 3072 or 4096", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_root.Combine("etc")));
    }

    [Fact]
    public void Keygen_1024_works_with_a_loud_warning()
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", "1024", "--root", _root.Path);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("WARNING: a 1024-bit RSA key is weak", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1024, TestKeys.PublicKeyOf(KeyFile(selector: "s1")).Bits);
    }

    [Theory]
    [InlineData(3072)]
    [InlineData(4096)]
    public void Keygen_makes_larger_keys_on_request_at_the_given_path(int bits)
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", $"{bits}",
            "--key", "/srv/keys/s1.pem", "--key-folder", "/srv/keys", "--root", _root.Path);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Equal(bits, TestKeys.PublicKeyOf(_root.Combine("srv", "keys", "s1.pem")).Bits);
        Assert.Contains("{key: /srv/keys/s1.pem, state: pending}", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Theory]
    [InlineData("--domain", "localhost")]
    [InlineData("--selector", "-bad")]
    [InlineData("--key", "relative/key.pem")]
    public void Keygen_rejects_bad_names_and_writes_nothing(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--domain"] = "example.com", ["--selector"] = "s1", ["--key"] = "/etc/k/s1.private" };
        args[option] = value;

        var result = CliRun.Run(["dkim", "keygen", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--root", _root.Path]);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{option}: '{value}' is not valid", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_root.Path));
    }

    [Theory]
    [InlineData("--key-folder", "/etc", "'/etc' cannot hold DKIM keys: /etc is a system folder")]
    [InlineData("--key-folder", "/root/.ssh", "'/root/.ssh' cannot hold DKIM keys: it lies in /root")]
    [InlineData("--key", "/root/.ssh/authorized_keys", "'/root/.ssh/authorized_keys' is outside the key folder /etc/opendkim/keys")]
    [InlineData("--key", "/etc/opendkim/KeyTable", "'/etc/opendkim/KeyTable' is outside the key folder /etc/opendkim/keys")]
    public void Keygen_keeps_keys_below_a_key_folder_of_their_own_and_writes_nothing_else(string option, string value, string message)
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", option, value, "--root", _root.Path);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{option}: {message}", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_root.Path));
    }

    [Fact]
    public void Keygen_prints_the_record_in_both_labelled_forms_with_the_same_value()
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--root", _root.Path);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("; ZONE FILE FORM", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("# PLAIN FORM", result.Stdout, StringComparison.Ordinal);
        var plain = ZoneForm.PlainValues(result.Stdout).Single();
        Assert.Equal(plain, ZoneForm.JoinedValues(result.Stdout).Single());
        Assert.Equal($"v=DKIM1; k=rsa; p={TestKeys.PublicKeyOf(KeyFile(selector: "s1")).Base64}", plain);
    }

    [Fact]
    public void Keygen_reads_no_policy_so_its_record_claims_no_selector_state()
    {
        var result = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "03122017", "--root", _root.Path);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.DoesNotContain("pending: published, not signing yet", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("DKIM key of selector 03122017 (new key: signs while the applied policy has the selector active)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureKeys_creates_only_missing_keys_of_pending_and_active_selectors()
    {
        using var policy = new KeyedPolicy("""
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    old: {state: retired}
                    cur: {state: active}
                    next: {state: pending}
                    kept: {state: active}
            """, createKeys: false);
        var kept = policy["/etc/opendkim/keys/example.com/kept.private"];
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.WriteAllText(kept, "existing\n");

        var created = DkimKeyStore.EnsureKeys(policy.Load(), policy.Root);

        Assert.Equal(["cur", "next"], created.Select(k => k.Selector));
        Assert.All(created, k => Assert.Equal(2048, TestKeys.PublicKeyOf(k.WrittenTo).Bits));
        Assert.All(created, k => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(k.WrittenTo)));
        Assert.False(File.Exists(policy["/etc/opendkim/keys/example.com/old.private"]));
        Assert.Equal("existing\n", File.ReadAllText(kept));
        Assert.Empty(DkimKeyStore.EnsureKeys(policy.Load(), policy.Root));
    }

    [Fact]
    public void A_public_key_file_is_not_taken_for_a_private_key()
    {
        using var rsa = RSA.Create(2048);
        var file = _root.Combine("public.pem");
        File.WriteAllText(file, rsa.ExportSubjectPublicKeyInfoPem());

        var error = Assert.Throws<DkimKeyException>(() => TestKeys.PublicKeyOf(file));

        Assert.Contains("holds no unencrypted private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ed25519_key_file_is_refused_because_opendkim_cannot_sign_it_beside_rsa()
    {
        // A throwaway Ed25519 key made for this test (openssl genpkey -algorithm ed25519).
        var file = _root.Combine("ed25519.pem");
        File.WriteAllText(file, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKR7OH8HoFJiZF88lso+GLXZBrVqXvtHumePi77wiafX\n-----END PRIVATE KEY-----\n");

        var error = Assert.Throws<DkimKeyException>(() => TestKeys.PublicKeyOf(file));

        Assert.Contains("holds no RSA private key (Ed25519 and other key types are not supported, see docs/dkim.md)", error.Message, StringComparison.Ordinal);
    }

    private static (string Owner, string Mode) OwnerAndMode(string path)
    {
        var fields = ExternalProgram.Run("stat", ["-c", "%U:%G %a", path]).StdOut.Trim().Split(' ');
        return (fields[0], fields[1]);
    }
}
