using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The test's own OpenDKIM run as a service: tests/fixtures/systemctl/systemctl, the stand-in for
/// systemd that apply's <c>--systemctl</c> points at (<see cref="Systemctl"/>, this root's wrapper
/// of it), starts, reloads (SIGUSR1) and restarts an OpenDKIM daemon on the configuration below the
/// sandbox root, as Debian's unit does. <see cref="Verbs"/> are the verbs it was asked, in order.
/// Dispose stops the daemon.
/// </summary>
public sealed class OpenDkimService : IDisposable
{
    private readonly string _work;

    public OpenDkimService(string root, string work)
    {
        _work = work;
        Systemctl = Path.Combine(work, "systemctl");
        var fixture = Path.Combine(RepoPaths.Root, "tests", "fixtures", "systemctl", "systemctl");
        File.WriteAllText(Systemctl, $"#!/bin/sh\nOPENDKIM_ROOT='{root}' OPENDKIM_WORK='{work}' exec '{fixture}' \"$@\"\n");
        File.SetUnixFileMode(Systemctl, (UnixFileMode)0b111_101_101);
    }

    /// <summary>The program to give apply as <c>--systemctl</c>.</summary>
    public string Systemctl { get; }

    /// <summary>The verbs the stand-in ran, oldest first (is-active, reload, restart, …).</summary>
    public IReadOnlyList<string> Verbs => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    /// <summary>The running daemon's process id, from its PidFile.</summary>
    public int ProcessId => int.Parse(File.ReadAllText(Setting("PidFile")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private string Log => Path.Combine(_work, "systemctl.log");

    /// <summary>Starts OpenDKIM and waits until its TCP socket on localhost accepts connections.</summary>
    public void Start(int port)
    {
        ExternalProgram.Check(Systemctl, ["start", "opendkim"]);
        Poll.Until(() => Loopback.Accepts(port), TimeSpan.FromSeconds(20), () => $"OpenDKIM to listen on port {port}");
    }

    public void Dispose() => ExternalProgram.Check(Systemctl, ["stop", "opendkim"]);

    private string Setting(string name) =>
        File.ReadLines(Path.Combine(_work, "opendkim.conf")).Select(line => line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries))
            .Last(fields => fields.Length == 2 && fields[0] == name)[1].Trim();
}
