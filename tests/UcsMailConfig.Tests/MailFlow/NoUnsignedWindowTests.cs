using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MimeKit;
using UcsMailConfig.Tests.Support;
using Xunit.Abstractions;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>How the apply under test reaches the running OpenDKIM.</summary>
public enum Window
{
    /// <summary>As apply decides: a rotation changes only tables, so it reloads (SIGUSR1).</summary>
    Reload,

    /// <summary>What apply did before: a restart for every change, with milter_default_action = accept.</summary>
    RestartAccept,

    /// <summary>The same restart with milter_default_action = tempfail.</summary>
    RestartTempfail,
}

/// <summary>
/// Issue 16, "no unsigned window during apply": a real Postfix with a real OpenDKIM as its milter,
/// OpenDKIM run as a service through the systemctl stand-in (tests/fixtures/systemctl), and apply
/// run as an admin runs it. A reload must make the running OpenDKIM sign with the new selector; a
/// rotation applied while a stream of messages is submitted must lose none and leave none unsigned.
/// The restart cases measure what a restart costs instead (docs/mail-flow.md).
/// </summary>
public sealed class NoUnsignedWindowTests(ITestOutputHelper output)
{
    private const string Rotated = "20261207";
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(120);

    [Fact]
    public void A_reload_makes_the_running_OpenDKIM_sign_with_the_new_selector()
    {
        using var harness = MailFlowHarness.Start(new TestPolicy(), Receiver.Announces8BitMime, openDkimAsService: true);
        var before = harness.Service.ProcessId;
        var verbsBefore = harness.Service.Verbs.Count;
        Keygen(harness, "second");
        var next = new TestPolicy { Selectors = [(TestPolicy.Selector, "retired"), ("second", "active")] };

        var apply = harness.Apply(next);

        Assert.True(apply.Exit == 0, $"{apply.Out}\n{apply.Err}");
        Assert.Equal(["is-active", "reload"], harness.Service.Verbs.Skip(verbsBefore));
        Assert.Equal(before, harness.Service.ProcessId);
        var id = $"after-reload.{Guid.NewGuid():N}@{TestPolicy.Domain}";
        harness.Submit(Message(id));
        var received = Poll.Until(() => harness.Sink.Find(id), DeliveryLimit, () => $"{id} at the receiver; mail log:\n{harness.Postfix.Log()}");
        Assert.Equal("second", SelectorOf(received.Data));
        Assert.Equal(new DkimVerdict(true, "pass"), new DkimCheck(harness.ReadRecords(next)).Verify(received.Data));
    }

    [Fact]
    public void A_changed_socket_restarts_OpenDKIM_on_it()
    {
        using var harness = MailFlowHarness.Start(new TestPolicy(), Receiver.Announces8BitMime, openDkimAsService: true);
        var before = harness.Service.ProcessId;
        var verbsBefore = harness.Service.Verbs.Count;

        var apply = harness.Apply(new TestPolicy { UnixSocket = "/var/spool/postfix/opendkim/opendkim.sock" });

        Assert.True(apply.Exit == 0, $"{apply.Out}\n{apply.Err}");
        Assert.Contains("a reload does not change Socket", apply.Out + apply.Err, StringComparison.Ordinal);
        Assert.Equal(["is-active", "restart"], harness.Service.Verbs.Skip(verbsBefore));
        Assert.NotEqual(before, harness.Service.ProcessId);
        var delivery = harness.Deliver(MailCase.PlainAscii);
        Assert.True(delivery.Verdict.Pass, $"{delivery.Verdict.Detail}\nmail log:\n{harness.Postfix.Log()}");
    }

    /// <summary>
    /// `dkim rotate`, the apply that publishes the pending selector, then the apply that makes it
    /// active (and changes a queue lifetime, so Postfix is reloaded in the same apply) while two
    /// clients submit a stream of messages. Every message must arrive, signed once, validly, by
    /// the old or the new selector; with a restart instead the figures are written out.
    /// </summary>
    [Theory]
    [InlineData(Window.Reload)]
    [InlineData(Window.RestartAccept)]
    [InlineData(Window.RestartTempfail)]
    public void A_rotation_applied_during_a_stream_of_200_messages(Window window)
    {
        var action = window == Window.RestartTempfail ? "tempfail" : "accept";
        using var harness = MailFlowHarness.Start(new TestPolicy { MilterDefaultAction = action }, Receiver.Announces8BitMime, openDkimAsService: true);
        var rotate = CliRun.Run("dkim", "rotate", "--domain", TestPolicy.Domain, "--root", harness.Root.Path, "--date", Rotated);
        Assert.True(rotate.Exit == 0, rotate.ToString());
        var pending = new TestPolicy { MilterDefaultAction = action, Selectors = [(TestPolicy.Selector, "active"), (Rotated, "pending")] };
        var publish = harness.Apply(pending);
        Assert.True(publish.Exit == 0, $"{publish.Out}\n{publish.Err}");
        var active = pending with { Selectors = [(TestPolicy.Selector, "retired"), (Rotated, "active")], QueueLifetime = "4d" };
        var check = new DkimCheck(harness.ReadRecords(active));
        var systemctl = window == Window.Reload ? harness.Service.Systemctl : RestartingInsteadOfReloading(harness);

        var verbsBefore = harness.Service.Verbs.Count;

        var stream = new MessageStream(harness, clients: 2);
        var (exit, stdout, stderr) = stream.During(() => harness.Apply(active, "--systemctl", systemctl));

        Assert.True(exit == 0, $"{stdout}\n{stderr}");
        Assert.Equal(["is-active", window == Window.Reload ? "reload" : "restart"], harness.Service.Verbs.Skip(verbsBefore));
        Assert.Matches(new Regex(@"postfix/master\[\d+\]: reload"), harness.Postfix.Log());
        var arrived = Poll.Until(() => Arrived(harness.Sink, stream.Accepted), DeliveryLimit,
            () => $"{stream.Accepted.Count} accepted messages (of which {harness.Sink.Messages.Count} arrived) at the receiver; mail log:\n{harness.Postfix.Log()}");
        var verdicts = stream.Accepted.Select(id => (Id: id, Selector: SelectorOf(arrived[id].Data), Verdict: check.Verify(arrived[id].Data))).ToList();
        var unsigned = verdicts.Count(v => v.Selector is null);
        var missed = verdicts.Where(v => v.Selector is null).Select(v => v.Id).Concat(stream.Tempfailed).Select(id => stream.SubmittedAt[id]).Order().ToList();
        var figures = $"{window}: {stream.Accepted.Count + stream.Tempfailed.Count} submitted, {stream.Accepted.Count} accepted and delivered, "
            + $"{stream.Tempfailed.Count} tempfailed at submission, {unsigned} delivered unsigned, "
            + $"{verdicts.Count(v => v.Selector == TestPolicy.Selector)} signed by the old selector, {verdicts.Count(v => v.Selector == Rotated)} by the new"
            + (missed.Count > 0 ? $"; the unsigned or tempfailed ones were submitted within {(missed[^1] - missed[0]).TotalSeconds:0.0} s" : "");
        output.WriteLine(figures);

        Assert.True(stream.Accepted.Count + stream.Tempfailed.Count >= 200, figures);
        Assert.Empty(stream.Failures);
        Assert.Contains(verdicts, v => v.Selector == Rotated);
        Assert.All(verdicts.Where(v => v.Selector is not null), v => Assert.Equal(new DkimVerdict(true, "pass"), v.Verdict));
        if (window != Window.RestartAccept)
        {
            Assert.True(unsigned == 0, figures);
        }

        if (window == Window.Reload)
        {
            Assert.True(stream.Tempfailed.Count == 0, figures);
            Assert.Contains(verdicts, v => v.Selector == TestPolicy.Selector);
        }
    }

    private static void Keygen(MailFlowHarness harness, string selector)
    {
        var keygen = CliRun.Run("dkim", "keygen", "--domain", TestPolicy.Domain, "--selector", selector, "--root", harness.Root.Path);
        Assert.True(keygen.Exit == 0, keygen.ToString());
    }

    /// <summary>The service's systemctl, but a reload becomes a restart: what apply did before issue 16.</summary>
    private static string RestartingInsteadOfReloading(MailFlowHarness harness)
    {
        var path = harness.Service.Systemctl + "-restarting";
        File.WriteAllText(path, $"#!/bin/sh\n[ \"$1\" = reload ] && shift && set -- restart \"$@\"\nexec '{harness.Service.Systemctl}' \"$@\"\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>The received messages by Message-ID, once every one of <paramref name="expected"/> is among them; else null.</summary>
    private static Dictionary<string, ReceivedMessage>? Arrived(SmtpSink sink, IReadOnlyList<string> expected)
    {
        var byId = new Dictionary<string, ReceivedMessage>(StringComparer.Ordinal);
        foreach (var message in sink.Messages)
        {
            if (Regex.Match(message.Text, @"^Message-Id: <([^>]+)>", RegexOptions.Multiline | RegexOptions.IgnoreCase) is { Success: true } id)
            {
                byId[id.Groups[1].Value] = message;
            }
        }

        return expected.All(byId.ContainsKey) ? byId : null;
    }

    private static MimeMessage Message(string messageId) => TestMail.Build(MailCase.PlainAscii, messageId);

    /// <summary>The s= of the message's one DKIM-Signature; null when it has none.</summary>
    private static string? SelectorOf(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        var signatures = MimeMessage.Load(stream).Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        return signatures.Count == 0 ? null : Regex.Match(signatures.Single().Value, @"(?:^|;)\s*s=([^;\s]+)").Groups[1].Value;
    }

    /// <summary>
    /// Clients that each submit one message per SMTP session, one after another, while an action
    /// runs: from before it starts until it has ended and at least 200 messages were submitted
    /// in all. Bounded: at most 3,000 messages and 5 minutes.
    /// </summary>
    private sealed class MessageStream(MailFlowHarness harness, int clients)
    {
        private const int Minimum = 200;
        private const int Maximum = 3000;
        private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
        private readonly ConcurrentQueue<string> _accepted = new();
        private readonly ConcurrentQueue<string> _tempfailed = new();
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly ConcurrentDictionary<string, DateTime> _submittedAt = new();
        private int _submitted;

        public IReadOnlyList<string> Accepted => [.. _accepted];

        public IReadOnlyList<string> Tempfailed => [.. _tempfailed];

        public IReadOnlyList<string> Failures => [.. _failures];

        /// <summary>When each message's submission began (for the figures only; nothing asserts a time).</summary>
        public IReadOnlyDictionary<string, DateTime> SubmittedAt => _submittedAt;

        public T During<T>(Func<T> action)
        {
            var done = false;
            var deadline = DateTime.UtcNow + Limit;
            bool More() => DateTime.UtcNow < deadline && Volatile.Read(ref _submitted) < Maximum && (!Volatile.Read(ref done) || Volatile.Read(ref _submitted) < Minimum);
            var senders = Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
            {
                while (More())
                {
                    Submit();
                }
            })).ToArray();

            // The action begins with the stream flowing, and the stream flows on after it ends.
            Poll.Until(() => Volatile.Read(ref _submitted) >= Minimum / 4 || !_failures.IsEmpty, TimeSpan.FromMinutes(1), () => "the stream to begin");
            var result = action();
            var after = Volatile.Read(ref _submitted);
            Poll.Until(() => Volatile.Read(ref _submitted) >= after + (Minimum / 4) || !_failures.IsEmpty || !More(), TimeSpan.FromMinutes(1), () => "the stream to go on");
            Volatile.Write(ref done, true);
            Task.WaitAll(senders, Limit);
            return result;
        }

        private void Submit()
        {
            var id = $"stream-{Interlocked.Increment(ref _submitted)}.{Guid.NewGuid():N}@{TestPolicy.Domain}";
            _submittedAt[id] = DateTime.UtcNow;
            try
            {
                harness.Submit(Message(id));
                _accepted.Enqueue(id);
            }
            catch (SmtpCommandException e) when ((int)e.StatusCode is >= 400 and < 500)
            {
                _tempfailed.Enqueue(id);
            }
            catch (Exception e)
            {
                _failures.Enqueue($"{id}: {e.Message}");
            }
        }
    }
}
