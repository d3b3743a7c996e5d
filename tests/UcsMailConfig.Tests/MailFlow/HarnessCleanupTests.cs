using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The harness leaves nothing behind: after Dispose, Postfix, OpenDKIM and the sink have
/// stopped and their ports are free again, and the sandbox is gone.
/// </summary>
public sealed class HarnessCleanupTests
{
    [Fact]
    public void Dispose_stops_every_daemon_and_frees_every_port()
    {
        var flow = MailFlowHarness.Start(new TestPolicy(), Receiver.Announces8BitMime);
        var ports = new[] { flow.Postfix.SmtpPort, flow.DkimPort, flow.Sink.Port };
        var root = flow.Root.Path;
        var openDkim = flow.OpenDkim!.ProcessId;
        Assert.All(ports, port => Assert.True(Loopback.Accepts(port), $"nothing listens on {port} while the harness runs"));

        flow.Dispose();

        Assert.All(ports, port => Assert.False(Loopback.Accepts(port), $"port {port} is still in use after Dispose"));
        Assert.False(Directory.Exists($"/proc/{openDkim}"), $"OpenDKIM (pid {openDkim}) still runs after Dispose");
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void The_signing_tests_amavis_and_dovecot_stop_with_their_processes_and_free_their_port_and_socket()
    {
        using var work = new TempDirectory("cleanup", MailFlowHarness.SafeParent);
        var port = Loopback.FreePort();
        var queue = work.Combine("spool");
        var amavis = AmavisFilter.Start(work.Path, port);
        var dovecot = DovecotAuth.Start(work.Path, queue);
        // Both fork: amavis a child that serves, dovecot its auth processes.
        var pids = new[] { amavis.ProcessId, dovecot.ProcessId }
            .SelectMany(pid => ExternalProgram.Run("pgrep", ["-P", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).StdOut
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Append(pid))
            .ToList();
        Assert.True(Loopback.Accepts(port));

        amavis.Dispose();
        dovecot.Dispose();

        Assert.False(Loopback.Accepts(port), $"amavis still listens on {port} after Dispose");
        Assert.All(pids, pid => Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal), $"process {pid} still runs after Dispose"));
    }
}
