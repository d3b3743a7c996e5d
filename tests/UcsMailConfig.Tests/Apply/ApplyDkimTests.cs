using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// apply and DKIM: keys are created only when asked, an active selector needs its key, and a
/// selector starts signing only once a real DNS server (BIND on 127.0.0.1) shows its record.
/// </summary>
public sealed class ApplyDkimTests
{
    private const string Pending = "version: 1\ndkim:\n  socket: localhost:12345\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        \"20261128\": {state: pending}\n";

    private static string Active => Pending.Replace("state: pending", "state: active", StringComparison.Ordinal);

    /// <summary>Host options without the sandbox's default --activate-without-dns.</summary>
    private static string[] Strict(ApplySandbox host, params string[] extra) =>
        [.. host.HostArguments().Where(a => a != "--activate-without-dns"), .. extra];

    private static string Zone(ApplySandbox host, string policy)
    {
        var zone = host.Cli("dns", policy, "--format", "zone", "--root", host.Root);
        Assert.True(zone.Exit == 0, zone.Err);
        return zone.Out;
    }

    [Fact]
    public void A_pending_selector_gets_its_key_and_record_without_signing_then_signs_once_DNS_shows_it()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Pending);

        var pending = host.Cli(["apply", policy, .. Strict(host)]);

        Assert.True(pending.Exit == 0, pending.Out + pending.Err);
        Assert.Contains("created the DKIM key /etc/opendkim/keys/example.com/20261128.private", pending.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host["etc/opendkim/keys/example.com/20261128.private"]));
        Assert.DoesNotContain("20261128._domainkey", File.ReadAllText(host["etc/univention/templates/files/etc/opendkim/KeyTable"]), StringComparison.Ordinal);
        var installedZone = File.ReadAllText(host["var/lib/ucs-mail-config/dns/zone"]);
        Assert.Contains("20261128._domainkey.example.com.", installedZone, StringComparison.Ordinal);
        Assert.Contains("v=DKIM1; k=rsa; p=", installedZone, StringComparison.Ordinal);

        File.WriteAllText(policy, Active);
        using (var empty = new BindServer(""))
        {
            var before = host.Snapshot();
            var refused = host.Cli(["apply", policy, .. Strict(host, "--dns-server", empty.Address)]);

            Assert.Equal(5, refused.Exit);
            Assert.Contains("shows no record 20261128._domainkey.example.com with its key", refused.Err, StringComparison.Ordinal);
            Assert.Equal(before, host.Snapshot());
        }

        using var published = new BindServer(Zone(host, policy));
        var active = host.Cli(["apply", policy, .. Strict(host, "--dns-server", published.Address)]);

        Assert.True(active.Exit == 0, active.Out + active.Err);
        Assert.Contains("20261128._domainkey.example.com example.com:20261128:/etc/opendkim/keys/example.com/20261128.private",
            File.ReadAllText(host["etc/opendkim/KeyTable"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_with_another_key_does_not_count_as_published()
    {
        using var host = new ApplySandbox();
        using var other = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        host.CreateKeys(policy);
        other.CreateKeys(policy);
        using var wrongKey = new BindServer(Zone(other, policy));

        var refused = host.Cli(["apply", policy, .. Strict(host, "--dns-server", wrongKey.Address)]);

        Assert.Equal(5, refused.Exit);
    }

    [Fact]
    public void The_override_activates_loudly_and_asks_no_DNS_server_at_all()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;

        var result = host.Cli(["apply", policy, .. host.HostArguments(), "--dns-server", $"127.0.0.1:{port}"]);

        Assert.True(result.Exit == 0, result.Out + result.Err);
        Assert.Contains("warning: selector 20261128 of example.com becomes active without a DNS check", result.Err, StringComparison.Ordinal);
        Assert.Equal(0, listener.Available);
    }

    [Fact]
    public void Without_the_override_the_same_listener_is_asked()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;

        var refused = host.Cli(["apply", policy, .. Strict(host, "--dns-server", $"127.0.0.1:{port}")]);

        Assert.Equal(5, refused.Exit);
        Assert.True(listener.Available > 0, "the DNS question never reached the listener, so the test above proves nothing");
    }

    [Fact]
    public void An_active_selector_without_its_key_is_refused_unless_keys_may_be_created()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        var before = host.Snapshot();

        var refused = host.Cli(["apply", policy, .. host.HostArguments().Where(a => a != "--generate-keys")]);

        Assert.Equal(5, refused.Exit);
        Assert.Contains("is active but its key file /etc/opendkim/keys/example.com/20261128.private does not exist", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("UMC062", refused.Out + refused.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void An_active_selector_whose_key_file_is_unusable_is_refused_even_with_the_override_and_no_DNS_server_is_asked()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        var key = host["etc/opendkim/keys/example.com/20261128.private"];
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.WriteAllText(key, "not a key\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = host.Snapshot();
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;

        var overridden = host.Cli(["apply", policy, .. host.HostArguments()]);
        var strict = host.Cli(["apply", policy, .. Strict(host, "--dns-server", $"127.0.0.1:{port}")]);

        foreach (var refused in new[] { overridden, strict })
        {
            Assert.Equal(5, refused.Exit);
            Assert.Contains("selector 20261128 of example.com is active but OpenDKIM could not sign with its key: the key file", refused.Err, StringComparison.Ordinal);
            Assert.Contains("holds no unencrypted private key in PEM form", refused.Err, StringComparison.Ordinal);
            Assert.DoesNotContain("UMC062", refused.Out + refused.Err, StringComparison.Ordinal);
        }

        Assert.Equal(before, host.Snapshot());
        Assert.Equal(0, listener.Available);
    }

    [Fact]
    public void A_pending_selector_without_its_key_is_only_a_warning_also_in_the_json_report()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Pending);

        var applied = host.Cli(["apply", policy, .. host.HostArguments().Where(a => a != "--generate-keys"), "--json"]);

        Assert.True(applied.Exit == 0, applied.Out + applied.Err);
        using var json = System.Text.Json.JsonDocument.Parse(applied.Out);
        // The policy's own warning (UMC049: no active selector) is there too.
        var warning = Assert.Single(json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!), w => w.Contains("UMC062", StringComparison.Ordinal));
        Assert.Equal($"{policy}:8:9: UMC062: selector '20261128' of example.com: there is no key file", warning[..warning.IndexOf(" /", StringComparison.Ordinal)]);
        Assert.Contains($"warning: {warning}", applied.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_key_is_never_replaced()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy(Active);
        host.CreateKeys(policy);
        var key = File.ReadAllBytes(host["etc/opendkim/keys/example.com/20261128.private"]);

        Assert.Equal(0, host.Apply(policy).Exit);

        Assert.Equal(key, File.ReadAllBytes(host["etc/opendkim/keys/example.com/20261128.private"]));
    }
}
