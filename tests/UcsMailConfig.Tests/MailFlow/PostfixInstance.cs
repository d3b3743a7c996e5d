using System.Text.Json;
using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// A real, private Postfix whose config_directory IS the sandbox root's etc/postfix, so that
/// `ucs-mail-config apply --root ROOT` (which runs `postfix -c ROOT/etc/postfix ...`) reloads
/// and flushes exactly this instance. Its queue, data directory and log live below the root
/// at Debian's paths; SMTP listens on one 127.0.0.1 port; nothing touches a system Postfix.
///
/// The instance's own settings (queue_directory, inet_interfaces, maillog_file, ...) go into
/// the sandbox's copy of the stock 99_local fragment, the place of main.cf.local on UCS, so
/// every `ucr commit` keeps them. None of them is a parameter our fragment writes: a repeated
/// parameter would make apply's `postconf -n` check fail, so they cannot hide a problem in our
/// part. The relay host is set as a UCS admin does, with `ucr set mail/relayhost`.
/// </summary>
public sealed class PostfixInstance : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly StockUcsRoot _root;
    private bool _started;

    public PostfixInstance(StockUcsRoot root, string relayhost)
    {
        _root = root;
        SmtpPort = Loopback.FreePort();
        Directory.CreateDirectory(QueueDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(MailLog)!);
        Directory.CreateDirectory(DataDirectory);
        ExternalProgram.Check("chown", ["postfix", DataDirectory]);

        // master.cf.dist's smtpd listens on port 25 of every interface; this one on one loopback port.
        var masterCf = root["etc/postfix/master.cf"];
        var smtpd = new Regex(@"^smtp +inet ", RegexOptions.Multiline);
        var services = File.ReadAllText(masterCf);
        Assert.Matches(smtpd, services);
        File.WriteAllText(masterCf, smtpd.Replace(services, $"127.0.0.1:{SmtpPort} inet "));

        File.AppendAllText(root["etc/univention/templates/files/etc/postfix/main.cf.d/99_local"], $"""

            # Private test instance (what /etc/postfix/main.cf.local adds on UCS).
            queue_directory = {QueueDirectory}
            data_directory = {DataDirectory}
            inet_interfaces = 127.0.0.1
            maillog_file = {MailLog}
            maillog_file_prefixes = {Path.GetDirectoryName(MailLog)}

            """);
        // The stock 60_tls names UCS's TLS policy table, which a UCS host has and this machine
        // does not: without it the SMTP client defers every message ("client TLS configuration
        // problem"). The sandbox gets its own, empty, as on a fresh UCS host.
        var tlsPolicy = root["etc/postfix/tls_policy"];
        File.WriteAllText(tlsPolicy, "");
        ExternalProgram.Check(ExternalProgram.Find("postmap"), ["-c", ConfigDirectory, $"hash:{tlsPolicy}"]);
        root.Ucr("set", $"mail/relayhost={relayhost}", $"mail/postfix/tls/policy/maps=hash:{tlsPolicy}");
    }

    public int SmtpPort { get; }

    public string ConfigDirectory => _root["etc/postfix"];

    public string QueueDirectory => _root["var/spool/postfix"];

    public string DataDirectory => _root["var/lib/postfix"];

    public string MailLog => _root["var/log/mail.log"];

    /// <summary>
    /// Prepares the chroot the way Debian's postfix service does (configure-instance.sh copies
    /// /etc/hosts, resolv.conf, ... into the queue directory: smtpd and cleanup run chrooted
    /// there and must resolve "localhost" to reach the milter), starts Postfix, and waits until
    /// its SMTP port accepts connections.
    /// </summary>
    public void Start()
    {
        ExternalProgram.Check("sh", ["/usr/lib/postfix/configure-instance.sh", "-"], environment: new Dictionary<string, string?> { ["MAIL_CONFIG"] = ConfigDirectory });
        var start = ExternalProgram.Run(ExternalProgram.Find("postfix"), ["-c", ConfigDirectory, "start"]);
        _started = true;
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException($"postfix start failed: {start}\nmail log:\n{Log()}");
        }

        Poll.Until(() => Loopback.Accepts(SmtpPort), StartLimit, () => $"Postfix to listen on 127.0.0.1:{SmtpPort}; mail log:\n{Log()}");
    }

    public string Log() => File.Exists(MailLog) ? File.ReadAllText(MailLog) : "";

    /// <summary>Waits for a mail log line that matches, and returns the match.</summary>
    public Match WaitForLog(string pattern, TimeSpan limit)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        return Poll.Until(() => regex.Match(Log()) is { Success: true } m ? m : null, limit,
            () => $"a mail log line matching /{pattern}/; mail log:\n{Log()}");
    }

    /// <summary>The queue IDs of every message in the queue (postqueue -j).</summary>
    public IReadOnlyList<string> QueueIds() =>
        [.. ExternalProgram.Check(ExternalProgram.Find("postqueue"), ["-c", ConfigDirectory, "-j"]).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("queue_id").GetString()!)];

    /// <summary>Submits a message as a local program would: the sendmail command, so non_smtpd_milters apply.</summary>
    public void Sendmail(byte[] message, string from, string to) =>
        ExternalProgram.Check(ExternalProgram.Find("sendmail"), ["-C", ConfigDirectory, "-i", "-f", from, "--", to], input: message);

    /// <summary>
    /// Stops Postfix and waits until its master process is gone, which frees its port. If a
    /// graceful stop does not finish in time, the master's process group (Postfix's master
    /// makes its own session; its children share it) is killed.
    /// </summary>
    public void Dispose()
    {
        if (!_started)
        {
            return;
        }

        var master = MasterPid();
        ExternalProgram.Run(ExternalProgram.Find("postfix"), ["-c", ConfigDirectory, "stop"]);
        if (master is null)
        {
            return;
        }

        try
        {
            Poll.Until(() => !Alive(master.Value), TimeSpan.FromSeconds(15), () => $"Postfix master {master} to exit");
        }
        catch (TimeoutException)
        {
            ExternalProgram.Run("kill", ["-KILL", "--", $"-{master}"]);
        }
    }

    // The master holds a lock on its pid file, and .NET's File API refuses to read a locked file.
    private int? MasterPid() =>
        ExternalProgram.Run("cat", [Path.Combine(QueueDirectory, "pid", "master.pid")]) is { ExitCode: 0 } cat
        && int.TryParse(cat.StdOut.Trim(), out var pid) ? pid : null;

    // A zombie has exited and holds no port; whoever reaps it is not our business.
    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
}
