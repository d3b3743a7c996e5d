using System.Diagnostics;
using System.Security.Cryptography;
using UcsMailConfig.Tests.Golden;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Acceptance;

/// <summary>
/// Real OpenDKIM reads what we render. The committed opendkim.conf and tables are moved from
/// /etc/opendkim to a private folder (the only edit), with throwaway keys where the policy
/// names them; then <c>opendkim -n</c> parses it and opens every table, and a real daemon
/// starts and listens on the socket the policy names.
/// </summary>
public sealed class OpenDkimAcceptsRenderTests
{
    [Theory]
    [InlineData("single-domain")]
    [InlineData("multi-domain")]
    public void Opendkim_parses_the_rendered_configuration(string example)
    {
        using var root = new StockUcsRoot();
        var conf = InstallWithPrivatePaths(root, example);

        var check = ExternalProgram.Run(ExternalProgram.Find("opendkim"), ["-n", "-x", conf]);

        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void Opendkim_check_fails_when_a_table_is_missing()
    {
        // The negative control: proves the check above can fail on our files.
        using var root = new StockUcsRoot();
        var conf = InstallWithPrivatePaths(root, "single-domain");
        File.Delete(root["etc/opendkim/SigningTable"]);

        var check = ExternalProgram.Run(ExternalProgram.Find("opendkim"), ["-n", "-x", conf]);

        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("SigningTable", check.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Opendkim_daemon_starts_on_the_socket_the_policy_names()
    {
        using var root = new StockUcsRoot();
        var port = Loopback.FreePort();
        var conf = InstallWithPrivatePaths(root, "single-domain", policy => policy.Replace("localhost:12345", $"127.0.0.1:{port}", StringComparison.Ordinal));
        Assert.Contains($"inet:{port}@[127.0.0.1]", File.ReadAllText(conf), StringComparison.Ordinal);
        // opendkim drops to its own user, which must be able to read the private copies.
        File.SetUnixFileMode(root.Path, (UnixFileMode)0b111_101_101);

        using var daemon = Process.Start(new ProcessStartInfo(ExternalProgram.Find("opendkim"), ["-f", "-x", conf, "-P", root["opendkim.pid"]])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            Poll.Until(() => Loopback.Accepts(port), TimeSpan.FromSeconds(10), () => $"opendkim did not listen on 127.0.0.1:{port}; exited: {daemon.HasExited}");
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            daemon.WaitForExit(5000);
        }
    }

    /// <summary>Renders the example, installs it with the ucr fixture, and points its paths into the root.</summary>
    private static string InstallWithPrivatePaths(StockUcsRoot root, string example, Func<string, string>? editPolicy = null)
    {
        var policyText = File.ReadAllText(Path.Combine(RepoPaths.Examples, example, "mail-policy.yaml"));
        var policyPath = root["mail-policy.yaml"];
        File.WriteAllText(policyPath, editPolicy?.Invoke(policyText) ?? policyText);
        root.Install(GoldenExamplesTests.Render(policyPath));
        root.Ucr("commit");

        var privateDir = root["etc/opendkim"] + "/";
        var conf = root["etc/opendkim.conf"];
        foreach (var file in new[] { conf }.Concat(Directory.GetFiles(root["etc/opendkim"])))
        {
            File.WriteAllText(file, File.ReadAllText(file).Replace("/etc/opendkim/", privateDir, StringComparison.Ordinal));
        }

        foreach (var line in File.ReadAllLines(root["etc/opendkim/KeyTable"]).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var keyPath = line.Split(':')[^1];
            Directory.CreateDirectory(Path.GetDirectoryName(keyPath)!);
            using var rsa = RSA.Create(2048);
            File.WriteAllText(keyPath, rsa.ExportRSAPrivateKeyPem());
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return conf;
    }
}
