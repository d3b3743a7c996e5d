using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UcsMailConfig.Tests.Support;

/// <summary>
/// A real DNS server (BIND's named from Debian's bind9 package) on 127.0.0.1 and a free high
/// port, authoritative for the root zone, serving the given zone-file lines as they are, so a
/// test serves exactly what our zone form prints. Disposing stops the daemon, waits for it to
/// exit (which releases the port) and deletes its folder; every wait is bounded.
/// </summary>
public sealed class BindServer : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new("ucsmail-named");
    private readonly Process _process;
    private readonly List<string> _log = [];

    public BindServer(string zoneLines)
    {
        File.WriteAllText(_directory.Combine("root.zone"),
            "$TTL 300\n. IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n. IN NS ns.test.\nns.test. IN A 127.0.0.1\n" + zoneLines);

        // Another test may take the free port between our probe and named's bind: try again on a new one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            File.WriteAllText(_directory.Combine("named.conf"), Config(_directory.Path, Port));
            _process = Start(_directory.Combine("named.conf"));
            if (WaitUntilRunning())
            {
                break;
            }

            Stop();
            if (attempt == 3)
            {
                _directory.Dispose();
                throw new InvalidOperationException($"named did not start:\n{string.Join('\n', Log)}");
            }
        }

        File.WriteAllText(UnboundConfig, $"server:\n  do-not-query-localhost: no\nstub-zone:\n  name: \".\"\n  stub-addr: 127.0.0.1@{Port}\n");
    }

    public int Port { get; private set; }

    /// <summary>The --dns-server value for dns check and apply.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>A libunbound configuration that sends every query to this server (opendkim's ResolverConfiguration).</summary>
    public string UnboundConfig => _directory.Combine("unbound.conf");

    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _directory.Dispose();
    }

    private Process Start(string config)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(ExternalProgram.Find("named"), ["-g", "-c", config])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.Add(e.Data);
                    Monitor.PulseAll(_log);
                }
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>named -g logs a line ending in "running" once it answers queries.</summary>
    private bool WaitUntilRunning()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        lock (_log)
        {
            while (!_log.Any(line => line.EndsWith(" running", StringComparison.Ordinal)))
            {
                var left = deadline - DateTime.UtcNow;
                if (_process.HasExited || left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_log, TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)));
            }
        }

        return true;
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }

    private static string Config(string dir, int port) => $$"""
        options {
          directory "{{dir}}";
          listen-on port {{port}} { 127.0.0.1; };
          listen-on-v6 { none; };
          recursion no;
          dnssec-validation no;
          notify no;
          pid-file "{{dir}}/named.pid";
          session-keyfile "{{dir}}/session.key";
          managed-keys-directory "{{dir}}";
        };
        controls { };
        zone "." { type primary; file "{{dir}}/root.zone"; };

        """;

    /// <summary>A port free for both TCP and UDP on 127.0.0.1 right now.</summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free loopback port for both TCP and UDP");
    }
}
