using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>Who the private Postfix relays all mail to.</summary>
public enum Receiver
{
    /// <summary>An SMTP sink that announces 8BITMIME, like nearly every mail server.</summary>
    Announces8BitMime,

    /// <summary>An SMTP sink without 8BITMIME: Postfix may not pass 8-bit mail to it unchanged.</summary>
    Without8BitMime,

    /// <summary>A loopback port where nothing can listen: every delivery is deferred.</summary>
    Unreachable,
}

/// <summary>
/// One mail server built from the tool's output, end to end: a sandbox UCS root (stand-in
/// stock templates, the ucr fixture) on which `ucs-mail-config apply --root` installs the
/// policy; a real Postfix whose configuration directory is that root's etc/postfix; a real
/// OpenDKIM with the generated configuration and a key from `ucs-mail-config dkim keygen`;
/// the receiving SMTP sink; and the DNS records from `ucs-mail-config dns` for the verifier.
/// Everything listens on 127.0.0.1 only. Dispose stops every daemon and frees every port,
/// also when starting failed half-way.
///
/// Everything lives below /run/ucs-mail-config-tests, not /tmp: OpenDKIM refuses a key when a
/// folder above it is world-writable, as /tmp is.
/// </summary>
public sealed class MailFlowHarness : IDisposable
{
    public const string Sender = "alice@" + TestPolicy.Domain;
    public const string Recipient = "bob@example.org";
    public const string SafeParent = "/run/ucs-mail-config-tests";

    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _work = new("mailflow-work", SafeParent);
    private readonly int _dkimPort = Loopback.FreePort();
    private StockUcsRoot? _root;
    private PostfixInstance? _postfix;
    private OpenDkimDaemon? _openDkim;
    private OpenDkimService? _service;
    private SmtpSink? _sink;
    private System.Net.Sockets.Socket? _closedPort;
    private Dictionary<string, string> _records = new();

    private MailFlowHarness()
    {
    }

    public StockUcsRoot Root => _root!;

    public PostfixInstance Postfix => _postfix!;

    public SmtpSink Sink => _sink ?? throw new InvalidOperationException("this harness relays to an unreachable port, not to a sink");

    public OpenDkimDaemon? OpenDkim => _openDkim;

    /// <summary>OpenDKIM run through the systemctl stand-in, when the harness was started with <c>openDkimAsService</c>.</summary>
    public OpenDkimService Service => _service ?? throw new InvalidOperationException("this harness runs OpenDKIM directly, not as a service");

    public int DkimPort => _dkimPort;

    /// <summary>
    /// Builds and starts everything. <paramref name="prepare"/> changes the host (main.cf.local,
    /// master.cf) before apply reads it. <paramref name="openDkimAsService"/>: OpenDKIM runs through
    /// the systemctl stand-in (<see cref="Service"/>), which every <see cref="Apply"/> is given, so
    /// apply's reload or restart reaches it.
    /// </summary>
    public static MailFlowHarness Start(TestPolicy policy, Receiver receiver, Action<StockUcsRoot, PostfixInstance>? prepare = null, bool openDkimAsService = false)
    {
        var harness = new MailFlowHarness();
        try
        {
            harness.Build(policy, receiver, prepare, openDkimAsService);
            return harness;
        }
        catch
        {
            harness.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs `ucs-mail-config apply POLICY --root ROOT --activate-without-dns` with the ucr
    /// fixture and the real postconf, postfix, opendkim, postqueue and postmap (unless
    /// <paramref name="overrides"/> names others); systemctl is the stand-in of <see cref="Service"/>,
    /// or else /bin/false, so the system's OpenDKIM is never touched.
    /// </summary>
    public (int Exit, string Out, string Err) Apply(TestPolicy policy, params string[] overrides)
    {
        var tools = new Dictionary<string, string>
        {
            ["--ucr"] = Root.UcrProgram,
            ["--systemctl"] = _service?.Systemctl ?? "/bin/false",
            ["--postconf"] = ExternalProgram.Find("postconf"),
            ["--postfix"] = ExternalProgram.Find("postfix"),
            ["--opendkim"] = ExternalProgram.Find("opendkim"),
            ["--postqueue"] = ExternalProgram.Find("postqueue"),
            ["--postmap"] = ExternalProgram.Find("postmap"),
        };
        for (var i = 0; i + 1 < overrides.Length; i += 2)
        {
            tools[overrides[i]] = overrides[i + 1];
        }

        // The verifier takes the records from `dns` itself, so no DNS server has to show them
        // before the selector may sign.
        return Cli(["apply", WritePolicy(policy), "--root", Root.Path, "--activate-without-dns", .. tools.SelectMany(t => new[] { t.Key, t.Value })]);
    }

    /// <summary>Sends a message over SMTP to the private Postfix (MailKit) and returns Postfix's queue ID.</summary>
    public string Submit(MimeMessage message)
    {
        using var client = new SmtpClient();
        client.Connect("127.0.0.1", Postfix.SmtpPort, SecureSocketOptions.None);
        var response = client.Send(message);
        client.Disconnect(quit: true);
        return Regex.Match(response, @"queued as ([0-9A-Za-z]+)") is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"Postfix did not say which queue ID it gave the message: {response}");
    }

    /// <summary>The DKIM verifier with the records `ucs-mail-config dns` printed for this policy.</summary>
    public DkimCheck Verifier => new(_records);

    /// <summary>Sends one message of the matrix, waits until the sink has it, and checks its signature.</summary>
    public Delivery Deliver(MailCase mailCase)
    {
        var messageId = $"{mailCase}.{Guid.NewGuid():N}@{TestPolicy.Domain}";
        if (mailCase == MailCase.ViaSendmail)
        {
            Postfix.Sendmail(TestMail.SendmailMessage(messageId), Sender, Recipient);
        }
        else
        {
            Submit(TestMail.Build(mailCase, messageId));
        }

        // A message Postfix deferred or bounced will not arrive: that ends the wait at once.
        var received = Poll.Until(
            () => Sink.Find(messageId) ?? (NotDelivered(messageId) is { } line
                ? throw new InvalidOperationException($"Postfix did not deliver {messageId}: {line}\nmail log:\n{Postfix.Log()}")
                : null),
            DeliveryLimit,
            () => $"{messageId} at the receiver; mail log:\n{Postfix.Log()}");
        return new Delivery(mailCase, received, new DkimCheck(_records).Verify(received.Data));
    }

    public void Dispose()
    {
        var errors = new List<Exception>();
        foreach (var part in new IDisposable?[] { _postfix, _openDkim, _service, _sink, _closedPort, _root, _work })
        {
            // Every part gets its chance to stop, whatever the one before it threw.
            try
            {
                part?.Dispose();
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("stopping the mail flow harness failed", errors);
        }
    }

    private void Build(TestPolicy policy, Receiver receiver, Action<StockUcsRoot, PostfixInstance>? prepare, bool openDkimAsService)
    {
        int relayPort;
        if (receiver == Receiver.Unreachable)
        {
            _closedPort = Loopback.ClosedPort();
            relayPort = ((System.Net.IPEndPoint)_closedPort.LocalEndPoint!).Port;
        }
        else
        {
            _sink = SmtpSink.Start(announce8BitMime: receiver == Receiver.Announces8BitMime);
            relayPort = _sink.Port;
        }

        _root = new StockUcsRoot(SafeParent);
        _postfix = new PostfixInstance(_root, $"[127.0.0.1]:{relayPort}");
        prepare?.Invoke(_root, _postfix);
        if (policy.Dkim)
        {
            CreateKey();
        }

        var apply = Apply(policy);
        if (apply.Exit != 0)
        {
            throw new InvalidOperationException($"apply failed with exit {apply.Exit}:\n{apply.Out}\n{apply.Err}");
        }

        if (policy.Dkim)
        {
            _records = ReadRecords(policy);
            if (openDkimAsService)
            {
                _service = new OpenDkimService(_root.Path, _work.Path);
                _service.Start(_dkimPort);
            }
            else
            {
                _openDkim = OpenDkimDaemon.Start(_root.Path, _work.Path);
            }
        }

        _postfix.Start();
    }

    private string? NotDelivered(string messageId)
    {
        var log = Postfix.Log();
        return Regex.Match(log, $@"(\w+): message-id=<{Regex.Escape(messageId)}>") is { Success: true } queued
            && Regex.Match(log, $@"^.*{queued.Groups[1].Value}: to=.*status=(deferred|bounced).*$", RegexOptions.Multiline) is { Success: true } failed
            ? failed.Value
            : null;
    }

    /// <summary>The key as an admin creates it before activating the selector: `ucs-mail-config dkim keygen`.</summary>
    private void CreateKey()
    {
        var keygen = Cli(["dkim", "keygen", "--domain", TestPolicy.Domain, "--selector", TestPolicy.Selector, "--root", Root.Path]);
        if (keygen.Exit != 0)
        {
            throw new InvalidOperationException($"dkim keygen exited {keygen.Exit}:\n{keygen.Err}");
        }
    }

    /// <summary>
    /// The DKIM records as the admin is told to publish them: the plain form of
    /// `ucs-mail-config dns`, one "NAME TXT VALUE" line per record, the value in one piece as a
    /// provider's web form wants it.
    /// </summary>
    public Dictionary<string, string> ReadRecords(TestPolicy policy)
    {
        var dns = Cli(["dns", WritePolicy(policy), "--root", Root.Path, "--format", "plain"]);
        if (dns.Exit != 0)
        {
            throw new InvalidOperationException($"dns exited {dns.Exit}:\n{dns.Err}");
        }

        return dns.Out.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 3))
            .Where(fields => fields[1] == "TXT")
            .ToDictionary(fields => fields[0], fields => fields[2]);
    }

    private string WritePolicy(TestPolicy policy)
    {
        var path = Path.Combine(_work.Path, $"mail-policy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, policy.Yaml(_dkimPort));
        return path;
    }

    private static (int Exit, string Out, string Err) Cli(string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);
        return (exit, stdout, stderr);
    }
}

/// <summary>One matrix message as the receiver got it, and what the DKIM verifier says.</summary>
public sealed record Delivery(MailCase Case, ReceivedMessage Received, DkimVerdict Verdict);
