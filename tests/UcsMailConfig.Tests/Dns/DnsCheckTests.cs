using System.Net;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dns;

/// <summary>
/// <c>dns check</c> against a real BIND on 127.0.0.1 that serves our own zone form, then the
/// same with one thing broken at a time: each problem is named, on the right record, with
/// exit 2; all matching is exit 0.
/// </summary>
public sealed class DnsCheckTests : IDisposable
{
    private readonly KeyedPolicy _policy = new();

    public void Dispose() => _policy.Dispose();

    [Fact]
    public void Everything_published_as_printed_matches_exit_0()
    {
        using var server = new BindServer(_policy.ZoneForm());

        var result = Check(server);

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("3 of 3 record(s) match", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_key_in_DNS_is_reported_as_different_exit_2()
    {
        using var other = new KeyedPolicy();
        var zone = _policy.ZoneForm().Replace(DkimZoneLines(_policy), DkimZoneLines(other), StringComparison.Ordinal);
        using var server = new BindServer(zone);

        var result = Check(server);

        Assert.Equal(2, result.Exit);
        Assert.Contains("DIFFERENT  s1._domainkey.example.com TXT: the DKIM record at s1._domainkey.example.com holds another key", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 of 3 record(s) match", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_split_record_that_lost_its_second_string_is_reported_as_truncated_exit_2()
    {
        var dkim = DkimRecord(_policy);
        Assert.True(dkim.ZoneStrings.Length > 1);
        var firstStringOnly = $"s1._domainkey.example.com. IN TXT ( {TxtStrings.Quote(dkim.ZoneStrings[0])} )";
        using var server = new BindServer(_policy.ZoneForm().Replace(DkimZoneLines(_policy), firstStringOnly, StringComparison.Ordinal));

        var result = Check(server);

        Assert.Equal(2, result.Exit);
        Assert.Contains("TRUNCATED  s1._domainkey.example.com TXT: the DKIM record at s1._domainkey.example.com is truncated", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_record_is_reported_as_missing_exit_2()
    {
        var zone = string.Join('\n', _policy.ZoneForm().Split('\n').Where(l => !l.StartsWith("_dmarc.", StringComparison.Ordinal)));
        using var server = new BindServer(zone);

        var result = Check(server);

        Assert.Equal(2, result.Exit);
        Assert.Contains("MISSING    _dmarc.example.com TXT: no DMARC record (TXT starting with v=DMARC1) at _dmarc.example.com; publish: v=DMARC1; p=reject; rua=mailto:dmarc@example.com", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_SPF_records_are_reported_as_multiple_exit_2()
    {
        using var server = new BindServer(_policy.ZoneForm() + "example.com. IN TXT \"v=spf1 a -all\"\n");

        var result = Check(server);

        Assert.Equal(2, result.Exit);
        Assert.Contains("MULTIPLE   example.com TXT: 2 SPF records at example.com", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("receivers answer PermError", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_exit_1_not_a_match()
    {
        using var policy = new KeyedPolicy("""
            version: 1
            domains:
              example.com:
                spf: {mechanisms: [mx]}
            """);
        var silent = SilentPort(out var socket);
        using (socket)
        {
            var result = CliRun.Run("dns", "check", policy.PolicyPath, "--root", policy.Root, "--dns-server", $"127.0.0.1:{silent}");

            Assert.Equal(1, result.Exit);
            Assert.Contains("NO ANSWER  example.com TXT", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_status_bounds_apply_to_dns_check_on_the_real_server()
    {
        using var server = new BindServer(_policy.ZoneForm());

        var result = CliRun.Run("dns", "check", _policy.PolicyPath, "--root", _policy.Root, "--dns-server", server.Address, "--dns-timeout", "1", "--dns-total", "5");

        Assert.True(result.Exit == 0, result.ToString());
        Assert.Contains("3 of 3 record(s) match", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unanswering_server_is_asked_once_then_the_rest_are_not_asked_as_status_does()
    {
        var silent = SilentPort(out var socket);
        using (socket)
        {
            var result = CliRun.Run("dns", "check", _policy.PolicyPath, "--root", _policy.Root, "--dns-server", $"127.0.0.1:{silent}", "--dns-timeout", "1", "--dns-total", "30");

            Assert.Equal(1, result.Exit);
            var unanswered = result.Stdout.Split('\n').Where(l => l.StartsWith("NO ANSWER", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, unanswered.Count);
            Assert.Equal(2, unanswered.Count(l => l.Contains($"not asked: the DNS server 127.0.0.1:{silent} did not answer", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("--dns-timeout", "0")]
    [InlineData("--dns-total", "0")]
    public void Dns_check_refuses_a_bound_below_one_second_as_status_does(string option, string value)
    {
        var check = CliRun.Run("dns", "check", _policy.PolicyPath, "--root", _policy.Root, option, value);
        var status = CliRun.Run("status", "--root", _policy.Root, option, value);

        Assert.Equal((1, 1), (check.Exit, status.Exit));
        Assert.Equal("error: --dns-timeout and --dns-total must be at least 1 (seconds)\n", check.Stderr);
        Assert.Equal(check.Stderr, status.Stderr);
    }

    [Fact]
    public void DnsChecker_tells_apply_whether_a_selector_is_visible()
    {
        var withKey = DkimRecord(_policy);
        using var server = new BindServer(_policy.ZoneForm());
        var checker = new DnsChecker(new IPEndPoint(IPAddress.Loopback, server.Port), DnsChecker.DefaultTimeout);
        var unpublished = DnsRecordDeriver.Dkim(withKey.Domain, withKey.Selector! with { Name = "s2" }, withKey.Value![(withKey.Value!.IndexOf("p=", StringComparison.Ordinal) + 2)..]);

        Assert.True(checker.IsVisible(withKey));
        Assert.False(checker.IsVisible(unpublished));
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("localhost:53")]
    [InlineData("1:53")]
    [InlineData("[::1")]
    public void A_bad_server_is_input_error_exit_1(string server)
    {
        var result = CliRun.Run("dns", "check", _policy.PolicyPath, "--root", _policy.Root, "--dns-server", server);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"--dns-server: '{server}' is not valid", result.Stderr, StringComparison.Ordinal);
    }

    private CliResult Check(BindServer server) =>
        CliRun.Run("dns", "check", _policy.PolicyPath, "--root", _policy.Root, "--server", server.Address);

    private static DnsRecord DkimRecord(KeyedPolicy policy)
    {
        var policyModel = policy.Load();
        var keys = DkimKeyStore.ReadPublicKeys(policyModel, policy.Root).Keys;
        return DnsRecordDeriver.Derive(policyModel, keys).Single(r => r.Kind == DnsRecordKind.Dkim);
    }

    /// <summary>The DKIM record's lines in the zone form, from its name to the closing parenthesis.</summary>
    private static string DkimZoneLines(KeyedPolicy policy)
    {
        var zone = policy.ZoneForm();
        var start = zone.IndexOf("s1._domainkey.example.com. IN TXT (", StringComparison.Ordinal);
        var end = zone.IndexOf(" )\n", start, StringComparison.Ordinal) + 2;
        return zone[start..end];
    }

    /// <summary>A UDP port that receives queries and never answers (TCP refuses), held open by the returned socket.</summary>
    private static int SilentPort(out System.Net.Sockets.UdpClient socket)
    {
        socket = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
