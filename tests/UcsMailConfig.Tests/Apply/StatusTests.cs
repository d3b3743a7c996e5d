using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using UcsMailConfig.Tests.MailFlow;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Tests.UcrFixture;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// <c>status</c> and <c>status --check</c> on sandbox hosts: a clean one (real OpenDKIM
/// answering, real named serving the records), a drifted one, an interrupted one, one with a
/// selector not yet in DNS, one never applied, and a DNS server that never answers.
/// </summary>
public sealed class StatusTests
{
    [Fact]
    public void A_clean_host_is_OK_with_every_parameter_selector_and_the_socket_shown()
    {
        using var host = new Host();
        using var dns = new BindServer(host.Zone());
        using var openDkim = host.StartOpenDkim();

        var check = host.Status("--check", "--dns-server", dns.Address);
        var status = host.Status("--dns-server", dns.Address);

        Assert.True(check.Exit == 0, check.ToString());
        Assert.StartsWith("OK: ", check.Stdout, StringComparison.Ordinal);
        Assert.Single(check.Stdout.TrimEnd('\n').Split('\n'));
        Assert.True(status.Exit == 0, status.ToString());
        Assert.Contains($"policy: {host.PolicyPath} (sha256 ", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("journal: none", status.Stdout, StringComparison.Ordinal);
        Assert.Contains($"opendkim: answers on inet:127.0.0.1:{host.Port}", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("selector: example.com s1 active ", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("key ok; dns matches", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("parameter: maximal_queue_lifetime = 1h (as the policy says; ours via UCR variable mail/postfix/maximal_queue_lifetime, effective from the base layer)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains($"parameter: smtpd_milters = inet:127.0.0.1:{host.Port} (as the policy says", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("drift:", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drifted_host_names_the_parameter_and_its_source_and_check_is_CRITICAL()
    {
        using var host = new Host();
        using var dns = new BindServer(host.Zone());
        using var openDkim = host.StartOpenDkim();
        File.AppendAllText(host.Sandbox["etc/postfix/main.cf"], "smtpd_milters =\n");

        var status = host.Status("--dns-server", dns.Address, "--json");
        var check = host.Status("--check", "--dns-server", dns.Address);

        Assert.True(status.Exit == 0, status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        var drift = Assert.Single(json.RootElement.GetProperty("status").GetProperty("drift").EnumerateArray());
        Assert.Equal("HandEdit", drift.GetProperty("source").GetString());
        Assert.Equal("smtpd_milters", drift.GetProperty("target").GetString());
        Assert.Equal(2, check.Exit);
        Assert.StartsWith($"CRITICAL: smtpd_milters is '', the policy means 'inet:127.0.0.1:{host.Port}'", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Drift_postfix_does_not_act_on_and_a_pending_selector_missing_from_DNS_are_WARNING()
    {
        using var host = new Host(pendingSelector: true);
        using var dns = new BindServer(host.Zone(withoutSelector: "s2"));
        using var openDkim = host.StartOpenDkim();

        var check = host.Status("--check", "--dns-server", dns.Address);

        Assert.True(check.Exit == 1, check.ToString());
        Assert.StartsWith("WARNING: selector s2 of example.com is pending and not yet in DNS", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policys_own_value_held_in_the_ldap_layer_is_WARNING()
    {
        using var host = new Host();
        using var dns = new BindServer(host.Zone());
        using var openDkim = host.StartOpenDkim();
        host.Sandbox.Host.Ucr("set", "--ldap-policy", "mail/postfix/maximal_queue_lifetime=1h");

        var check = host.Status("--check", "--dns-server", dns.Address);

        Assert.True(check.Exit == 1, check.ToString());
        Assert.StartsWith("WARNING: UCR variable mail/postfix/maximal_queue_lifetime holds the policy's value in the ldap layer", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenDkim_not_answering_is_CRITICAL()
    {
        using var host = new Host();
        using var dns = new BindServer(host.Zone());

        var check = host.Status("--check", "--dns-server", dns.Address);

        Assert.Equal(2, check.Exit);
        Assert.Contains($"OpenDKIM does not answer on inet:127.0.0.1:{host.Port}", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_apply_is_shown_and_CRITICAL()
    {
        using var host = new Host();
        // A ucr that kills the apply calling it: the apply's journal stays, as after a crash.
        var killer = host.Sandbox.WriteStub("ucr-killer", "kill -KILL $PPID; sleep 5");
        File.WriteAllText(host.PolicyPath, File.ReadAllText(host.PolicyPath).Replace("1h", "2h", StringComparison.Ordinal));
        using (var cli = ApplySandbox.StartCliProcess(["apply", host.PolicyPath, .. host.Sandbox.HostArguments("--ucr", killer)]))
        {
            Assert.True(cli.WaitForExit(120_000));
        }

        Assert.True(File.Exists(host.Sandbox["var/lib/ucs-mail-config/journal/intent.json"]), "the killed apply left no journal");

        var status = host.Status("--dns-total", "1");
        var check = host.Status("--check", "--dns-total", "1");

        Assert.True(status.Exit == 0, status.ToString());
        Assert.Contains("journal: PENDING, an interrupted apply left ", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, check.Exit);
        Assert.Contains("an interrupted apply is pending", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_never_applied_is_UNKNOWN_and_status_exits_1()
    {
        using var sandbox = new ApplySandbox();

        var check = CliRun.Run("status", "--check", "--root", sandbox.Root, "--ucr", UcrFixtureRunner.ScriptPath);
        var status = CliRun.Run("status", "--root", sandbox.Root, "--ucr", UcrFixtureRunner.ScriptPath);

        Assert.Equal(3, check.Exit);
        Assert.StartsWith("UNKNOWN: no successful apply is recorded in ", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, status.Exit);
        Assert.Contains("error: no successful apply is recorded", status.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_DNS_server_that_never_answers_costs_one_bounded_wait_and_one_line_naming_it()
    {
        using var host = new Host(pendingSelector: true);
        // A loopback UDP port that receives and never answers.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = $"127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}";

        var clock = Stopwatch.StartNew();
        var status = host.Status("--dns-server", server, "--dns-timeout", "1", "--dns-total", "3");
        clock.Stop();

        Assert.True(status.Exit == 0, status.ToString());
        var lines = status.Stdout.Split('\n').Where(l => l.StartsWith("dns: ", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.Contains($"the DNS server {server}", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, status.Stdout.Split('\n').Count(l => l.StartsWith("selector: ", StringComparison.Ordinal) && l.EndsWith("dns no answer", StringComparison.Ordinal)));
        // Generous: unbounded questions would take the resolver's default of minutes per record.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"status took {clock.Elapsed}");
    }

    [Fact]
    public void OpenDkim_that_accepts_connections_but_hangs_is_CRITICAL()
    {
        using var host = new Host();
        using var dns = new BindServer(host.Zone());
        using var openDkim = host.StartOpenDkim();
        // Stopped, OpenDKIM still has its listening socket: the kernel accepts a connection, nobody answers.
        ExternalProgram.Check("kill", ["-STOP", $"{openDkim.ProcessId}"]);
        try
        {
            var check = host.Status("--check", "--dns-server", dns.Address);

            Assert.True(check.Exit == 2, check.ToString());
            Assert.Contains($"OpenDKIM does not answer on inet:127.0.0.1:{host.Port}", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("accepts connections but gives no milter answer within 3 s", check.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            ExternalProgram.Check("kill", ["-CONT", $"{openDkim.ProcessId}"]);
        }
    }

    /// <summary>A sandbox host with a one-domain policy applied, OpenDKIM on a free loopback port.</summary>
    private sealed class Host : IDisposable
    {
        private readonly TempDirectory _work = new("ucsmail-status");

        public Host(bool pendingSelector = false)
        {
            Port = Loopback.FreePort();
            PolicyPath = Sandbox.WritePolicy($"""
                version: 1
                postfix:
                  queue:
                    maximal_lifetime: 1h
                dkim:
                  socket: 127.0.0.1:{Port}
                domains:
                  example.com:
                    dkim:
                      selectors:
                        s1: {"{state: active}"}
                {(pendingSelector ? "        s2: {state: pending}\n" : "")}
                """);
            var applied = Sandbox.Apply(PolicyPath);
            Assert.True(applied.Exit == 0, applied.Out + applied.Err);
        }

        public ApplySandbox Sandbox { get; } = new();

        public int Port { get; }

        public string PolicyPath { get; }

        public CliResult Status(params string[] args) =>
            CliRun.Run(["status", "--root", Sandbox.Root, "--ucr", UcrFixtureRunner.ScriptPath, .. args.Where(a => a.Length > 0)]);

        /// <summary>The zone form of the policy's records, optionally without one selector's record.</summary>
        public string Zone(string? withoutSelector = null)
        {
            var result = CliRun.Run("dns", PolicyPath, "--root", Sandbox.Root, "--format", "zone");
            Assert.True(result.Exit == 0, result.ToString());
            return withoutSelector is null ? result.Stdout : RemoveRecord(result.Stdout, $"{withoutSelector}._domainkey.example.com.");
        }

        public OpenDkimDaemon StartOpenDkim() => OpenDkimDaemon.Start(Sandbox.Root, _work.Path);

        public void Dispose()
        {
            Sandbox.Dispose();
            _work.Dispose();
        }

        // A record spans its name's line and the indented string lines after it.
        private static string RemoveRecord(string zone, string name)
        {
            var kept = new List<string>();
            var skipping = false;
            foreach (var line in zone.Split('\n'))
            {
                skipping = line.StartsWith(name, StringComparison.Ordinal) || (skipping && line.StartsWith('\t'));
                if (!skipping)
                {
                    kept.Add(line);
                }
            }

            return string.Join('\n', kept);
        }
    }
}
