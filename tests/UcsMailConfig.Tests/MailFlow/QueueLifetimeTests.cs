using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// A shorter queue lifetime reaches mail that is already waiting: a message to an unreachable
/// relay is deferred; `apply` lowers maximal_queue_lifetime and bounce_queue_lifetime to 2s
/// and itself reloads Postfix and runs `postqueue -f` on this very instance (its
/// config_directory is the sandbox root's etc/postfix, which is what apply passes with -c). The
/// control run gives apply a postqueue that does nothing: the expired message then stays in
/// the queue until a flush by hand expires it.
/// </summary>
public sealed class QueueLifetimeTests
{
    private static readonly TimeSpan LogLimit = TimeSpan.FromSeconds(30);
    private static readonly TestPolicy Initial = new() { Dkim = false, QueueLifetime = "1h" };
    private static readonly TestPolicy Lowered = new() { Dkim = false, QueueLifetime = "2s" };

    [Fact]
    public void Apply_lowering_the_lifetime_reloads_and_flushes_so_queued_mail_expires_and_bounces_now()
    {
        using var flow = MailFlowHarness.Start(Initial, Receiver.Unreachable);
        var queueId = QueueDeferredMessageOlderThanTheNewLifetime(flow);

        var apply = flow.Apply(Lowered);

        Assert.True(apply.Exit == 0, apply.Out + apply.Err);
        Assert.Contains($"ran: {ExternalProgram.Find("postfix")} -c {flow.Postfix.ConfigDirectory} reload (exit 0", apply.Out, StringComparison.Ordinal);
        Assert.Contains($"ran: {ExternalProgram.Find("postqueue")} -c {flow.Postfix.ConfigDirectory} -f (exit 0", apply.Out, StringComparison.Ordinal);
        flow.Postfix.WaitForLog($@"{queueId}: from=<{MailFlowHarness.Sender}>, status=expired, returned to sender", LogLimit);
        var bounce = flow.Postfix.WaitForLog($@"{queueId}: sender non-delivery notification: (\w+)", LogLimit).Groups[1].Value;
        flow.Postfix.WaitForLog($@"{bounce}: from=<>, size=\d+, nrcpt=1 \(queue active\)", LogLimit);
        flow.Postfix.WaitForLog($@"{queueId}: removed", LogLimit);
        Assert.DoesNotContain(queueId, flow.Postfix.QueueIds());
    }

    [Fact]
    public void Without_the_flush_the_expired_message_stays_queued_until_a_flush()
    {
        using var flow = MailFlowHarness.Start(Initial, Receiver.Unreachable);
        var queueId = QueueDeferredMessageOlderThanTheNewLifetime(flow);

        var apply = flow.Apply(Lowered, "--postqueue", "/bin/true");

        Assert.True(apply.Exit == 0, apply.Out + apply.Err);
        Assert.Contains($"-c {flow.Postfix.ConfigDirectory} reload (exit 0", apply.Out, StringComparison.Ordinal);
        Assert.Contains(queueId, flow.Postfix.QueueIds());
        Assert.DoesNotContain("status=expired", flow.Postfix.Log(), StringComparison.Ordinal);

        // The flush was all that was missing: the same queue, flushed by hand, expires the message.
        ExternalProgram.Check(ExternalProgram.Find("postqueue"), ["-c", flow.Postfix.ConfigDirectory, "-f"]);
        flow.Postfix.WaitForLog($@"{queueId}: from=<{MailFlowHarness.Sender}>, status=expired, returned to sender", LogLimit);
    }

    /// <summary>
    /// Sends one message, waits until Postfix has deferred it, then until it is older than the
    /// new lifetime (a message's age counts from its arrival), so that its next delivery attempt
    /// must expire it.
    /// </summary>
    private static string QueueDeferredMessageOlderThanTheNewLifetime(MailFlowHarness flow)
    {
        var arrived = DateTime.UtcNow;
        var queueId = flow.Submit(TestMail.Build(MailCase.PlainAscii, $"queued.{Guid.NewGuid():N}@{TestPolicy.Domain}"));
        flow.Postfix.WaitForLog($@"{queueId}: to=<{MailFlowHarness.Recipient}>, .*status=deferred", LogLimit);
        var older = arrived + TimeSpan.FromSeconds(3) - DateTime.UtcNow;
        if (older > TimeSpan.Zero)
        {
            Thread.Sleep(older);
        }

        return queueId;
    }
}
