using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dkim;

/// <summary>
/// Our keys and our zone form, checked by OpenDKIM itself: keygen makes the key, <c>dns
/// --format zone</c> prints the record, a real BIND on 127.0.0.1 serves exactly that text, and
/// <c>opendkim-testkey</c> fetches the record and compares it with the private key.
/// opendkim-testkey has no port option; Debian builds it with libunbound, and its
/// <c>ResolverConfiguration</c> setting names an unbound configuration, whose stub-zone sends
/// every query to our server's port.
/// </summary>
public sealed class OpenDkimTestKeyTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void Opendkim_testkey_says_key_OK_for_our_key_and_zone_form(int bits)
    {
        using var policy = new KeyedPolicy(createKeys: false);
        var keygen = CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", $"{bits}", "--root", policy.Root);
        Assert.True(keygen.Exit == 0, keygen.ToString());
        using var server = new BindServer(policy.ZoneForm());

        var test = TestKey(server, "s1", policy["/etc/opendkim/keys/example.com/s1.private"]);

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("opendkim-testkey: key OK", test.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Opendkim_testkey_fails_for_another_key()
    {
        // The negative control: proves the check above compares keys through our server.
        using var policy = new KeyedPolicy();
        using var server = new BindServer(policy.ZoneForm());
        Assert.Equal(0, CliRun.Run("dkim", "keygen", "--domain", "example.com", "--selector", "other", "--root", policy.Root).Exit);

        var test = TestKey(server, "s1", policy["/etc/opendkim/keys/example.com/other.private"]);

        Assert.NotEqual(0, test.ExitCode);
        Assert.Contains("keys do not match", test.StdOut, StringComparison.Ordinal);
    }

    private static ProgramResult TestKey(BindServer server, string selector, string keyFile)
    {
        var config = Path.Combine(Path.GetDirectoryName(server.UnboundConfig)!, "testkey.conf");
        File.WriteAllText(config, $"ResolverConfiguration {server.UnboundConfig}\n");
        return ExternalProgram.Run(ExternalProgram.Find("opendkim-testkey"),
            ["-x", config, "-d", "example.com", "-s", selector, "-k", keyFile, "-vvv"], TimeSpan.FromSeconds(60));
    }
}
