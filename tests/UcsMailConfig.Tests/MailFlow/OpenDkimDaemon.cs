using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// A real OpenDKIM daemon (<c>opendkim -f -x CONF</c>) running the configuration that
/// `apply` generated below a sandbox root. Only paths are changed: every absolute path in
/// opendkim.conf and the KeyTable gets the root in front (the relocated copies live in a work
/// directory); the socket, signing table, canonicalization and everything else stay as
/// rendered. Dispose kills it and waits for it to exit.
/// </summary>
public sealed class OpenDkimDaemon : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OpenDkimDaemon(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts OpenDKIM and waits until its socket (inet:PORT@HOST or local:PATH) accepts connections.</summary>
    public static OpenDkimDaemon Start(string root, string work)
    {
        var keyTable = Path.Combine(work, "KeyTable");
        File.WriteAllLines(keyTable, File.ReadAllLines(Path.Combine(root, "etc/opendkim/KeyTable"))
            .Select(line => line.StartsWith('#') ? line : Regex.Replace(line, @":/", ":" + root + "/")));

        var conf = Path.Combine(work, "opendkim.conf");
        var settings = File.ReadAllLines(Path.Combine(root, "etc/opendkim.conf"))
            .Select(line => Regex.Match(line, @"^(KeyTable\s+)/\S+$") is { Success: true } k
                ? k.Groups[1].Value + keyTable
                : Regex.Replace(line, @"^(\w+\s+(?:refile:|local:)?)/", "$1" + root + "/"))
            .ToList();
        File.WriteAllLines(conf, settings);

        var pidFile = Setting(settings, "PidFile");
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        var socket = Setting(settings, "Socket");
        Func<bool> listening;
        if (socket.StartsWith("local:", StringComparison.Ordinal))
        {
            // As the admin must (and Debian does for /run/opendkim): a directory that OpenDKIM,
            // running as opendkim, can create its socket in.
            var path = socket["local:".Length..];
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ExternalProgram.Check("chown", ["opendkim:opendkim", Path.GetDirectoryName(path)!]);
            listening = () => UnixSocketAccepts(path);
        }
        else
        {
            var port = int.Parse(Regex.Match(socket, @"^inet6?:(\d+)@").Groups[1].Value, CultureInfo.InvariantCulture);
            listening = () => Loopback.Accepts(port);
        }

        var start = new ProcessStartInfo(ExternalProgram.Find("opendkim"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-f", "-x", conf },
        };
        var process = Process.Start(start)!;
        var daemon = new OpenDkimDaemon(process) { ProcessId = process.Id };
        try
        {
            Poll.Until(() => daemon._process.HasExited || listening(), TimeSpan.FromSeconds(20),
                () => $"OpenDKIM to listen on {socket}; output:\n{daemon.Output}");
            if (daemon._process.HasExited)
            {
                throw new InvalidOperationException($"opendkim exited with {daemon._process.ExitCode}; output:\n{daemon.Output}\nconfiguration:\n{string.Join('\n', settings)}");
            }

            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ProcessId { get; private init; }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string Setting(IEnumerable<string> settings, string name) =>
        settings.Select(line => Regex.Match(line, $@"^{name}\s+(\S+)$")).First(m => m.Success).Groups[1].Value;

    private static bool UnixSocketAccepts(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
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
