using System.Diagnostics;
using System.Text;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// A daemon the signing tests run in the foreground as a child: its output is kept, Dispose
/// kills it with its whole process tree (amavis forks a child, dovecot its auth processes) and
/// waits for it, so its port and socket are free afterwards. Waits have deadlines.
/// </summary>
public sealed class ForegroundDaemon : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Func<string> _log;

    private ForegroundDaemon(Process process, Func<string> log)
    {
        _process = process;
        _log = log;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output + _log();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> and waits until <paramref name="ready"/> holds or it exits.</summary>
    public static ForegroundDaemon Start(string program, IEnumerable<string> arguments, Func<bool> ready, Func<string> log)
    {
        var start = new ProcessStartInfo(ExternalProgram.Find(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var daemon = new ForegroundDaemon(Process.Start(start)!, log);
        try
        {
            Poll.Until(() => daemon._process.HasExited || ready(), StartLimit, () => $"{program} to be ready; output:\n{daemon.Output}");
            return daemon._process.HasExited
                ? throw new InvalidOperationException($"{program} exited with {daemon._process.ExitCode}; output:\n{daemon.Output}")
                : daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(15));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>
/// UCS's content filter, for real: Debian's amavisd-new (what UCS installs with mail/antivir),
/// with virus, spam, banned-file and header checks bypassed, listening on one loopback port and
/// re-injecting every message over SMTP with XFORWARD to the stock listener 127.0.0.1:10025, as
/// UCS configures it. amavis refuses a configuration file in a folder its user can write, so the
/// file lies in a root-owned folder and only its home belongs to amavis.
/// </summary>
public static class AmavisFilter
{
    public const string ReinjectionListener = "127.0.0.1:10025";

    public static ForegroundDaemon Start(string work, int port)
    {
        var home = Path.Combine(work, "amavis");
        var conf = Path.Combine(work, "amavis-conf");
        foreach (var folder in new[] { "tmp", "db", "var" })
        {
            Directory.CreateDirectory(Path.Combine(home, folder));
        }

        ExternalProgram.Check("chown", ["-R", "amavis:amavis", home]);
        Directory.CreateDirectory(conf, (UnixFileMode)0b111_101_101);
        var file = Path.Combine(conf, "amavisd.conf");
        File.WriteAllText(file, $$"""
            use strict;
            $MYHOME = '{{home}}';
            $TEMPBASE = "$MYHOME/tmp";
            $db_home = "$MYHOME/db";
            $pid_file = "$MYHOME/var/amavisd.pid";
            $lock_file = "$MYHOME/var/amavisd.lock";
            $daemon_user = 'amavis';
            $daemon_group = 'amavis';
            $mydomain = 'filter.test';
            $myhostname = 'filter.test';
            $max_servers = 1;
            $enable_db = 0;
            $enable_zmq = 0;
            $do_syslog = 0;
            $LOGFILE = "$MYHOME/var/amavis.log";
            $log_level = 2;
            $inet_socket_bind = '127.0.0.1';
            $inet_socket_port = {{port}};
            @inet_acl = qw(127.0.0.1);
            $unix_socketname = undef;
            $forward_method = 'smtp:[127.0.0.1]:10025';
            $notify_method = $forward_method;
            @bypass_virus_checks_maps = (1);
            @bypass_spam_checks_maps = (1);
            @bypass_banned_checks_maps = (1);
            @bypass_header_checks_maps = (1);
            $enable_dkim_verification = 0;
            $enable_dkim_signing = 0;
            @av_scanners = ();
            @av_scanners_backup = ();
            @local_domains_maps = ( ['.example.com'] );
            1;
            """);
        var log = Path.Combine(home, "var", "amavis.log");
        return ForegroundDaemon.Start("amavisd", ["-c", file, "foreground"], () => Loopback.Accepts(port),
            () => File.Exists(log) ? File.ReadAllText(log) : "");
    }
}

/// <summary>
/// Dovecot's auth service as Postfix's SASL backend (smtpd_sasl_type = dovecot), as on a UCS
/// mail server: no mail protocol, one user from a passwd-file, the auth socket inside Postfix's
/// chroot at private/auth.
/// </summary>
public static class DovecotAuth
{
    public const string User = "carol@example.com";
    public const string Password = "not-a-real-secret";

    public static ForegroundDaemon Start(string work, string queueDirectory)
    {
        var home = Path.Combine(work, "dovecot");
        Directory.CreateDirectory(Path.Combine(home, "base"));
        var users = Path.Combine(home, "users");
        File.WriteAllText(users, $"{User}:{{PLAIN}}{Password}\n");
        var socket = Path.Combine(queueDirectory, "private", "auth");
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        ExternalProgram.Check("chown", ["postfix", Path.GetDirectoryName(socket)!]);
        var log = Path.Combine(home, "dovecot.log");
        var conf = Path.Combine(home, "dovecot.conf");
        File.WriteAllText(conf, $$"""
            protocols =
            base_dir = {{home}}/base
            state_dir = {{home}}/base
            log_path = {{log}}
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{users}}
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home=/nonexistent
            }
            service auth {
              unix_listener {{socket}} {
                mode = 0660
                user = postfix
                group = postfix
              }
            }
            """);
        return ForegroundDaemon.Start("dovecot", ["-F", "-c", conf], () => File.Exists(socket),
            () => File.Exists(log) ? File.ReadAllText(log) : "");
    }
}
