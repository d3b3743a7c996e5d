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
}
