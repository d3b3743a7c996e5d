using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dkim;

/// <summary>
/// No command ever prints a private key: keygen, rotate, dns (all forms), dns check and render
/// run against real keys, and none of their output holds any line of a key file's base64 body.
/// </summary>
public sealed class PrivateKeyNeverPrintedTests
{
    [Fact]
    public void No_output_of_any_command_contains_a_private_key()
    {
        using var policy = new KeyedPolicy();
        using var output = new TempDirectory("ucsmail-render");
        var runs = new List<CliResult>
        {
            CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "extra", "--root", policy.Root),
            CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "extra", "--root", policy.Root),
            CliRun.Run("dkim", "rotate", "--domain", "example.com", "--policy", policy.PolicyPath, "--root", policy.Root),
            CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "zone"),
            CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "plain"),
            CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "json"),
            CliRun.Run("render", policy.PolicyPath, "--out", output.Path, "--force"),
        };
        using (var server = new BindServer(policy.ZoneForm()))
        {
            runs.Add(CliRun.Run("dns", "check", policy.PolicyPath, "--root", policy.Root, "--server", server.Address));
        }

        var keyFiles = Directory.GetFiles(policy.Root, "*.private", SearchOption.AllDirectories);
        Assert.Equal(3, keyFiles.Length);
        // Every command ran as meant (the second keygen refuses the existing key) and printed public keys.
        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 0], runs.Select(r => r.Exit));
        // keygen, rotate, and dns in its three forms.
        Assert.Equal(5, runs.Count(r => r.Stdout.Contains("v=DKIM1; k=rsa; p=", StringComparison.Ordinal)));
        var everything = string.Concat(runs.Select(r => r.Stdout + r.Stderr))
            + string.Concat(Directory.GetFiles(output.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        var joined = everything.Replace("\n", "", StringComparison.Ordinal);
        foreach (var keyFile in keyFiles)
        {
            var body = File.ReadAllLines(keyFile).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
            Assert.True(body.Count > 20, $"{keyFile} does not look like a PEM key");
            Assert.DoesNotContain(string.Concat(body), joined, StringComparison.Ordinal);

            // The PKCS#1 body also holds the public modulus, and its base64 lines up with the
            // published p= value, so a few lines are rightly public; every other line is secret.
            var publicKey = TestKeys.PublicKeyOf(keyFile).Base64;
            var secret = body.Where(line => !publicKey.Contains(line, StringComparison.Ordinal)).ToList();
            Assert.True(secret.Count >= body.Count - 6, $"only {secret.Count} of {body.Count} lines are private");
            Assert.All(secret, line => Assert.DoesNotContain(line, joined, StringComparison.Ordinal));
        }
    }
}
