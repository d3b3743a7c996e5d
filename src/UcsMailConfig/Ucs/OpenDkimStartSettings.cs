using System.Collections.Immutable;
using UcsMailConfig.Files;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Ucs;

/// <summary>How a running OpenDKIM takes up a change of its configuration.</summary>
internal enum OpenDkimAction
{
    /// <summary>Nothing of OpenDKIM's changed.</summary>
    None,

    /// <summary>SIGUSR1 (Debian's <c>systemctl reload opendkim</c>): it re-reads opendkim.conf, the tables and the keys, and keeps its socket open.</summary>
    Reload,

    /// <summary>A setting it reads only when it starts changed: stop and start, so its socket is closed for a moment.</summary>
    Restart,
}

/// <summary>
/// The opendkim.conf settings a reload does not change, and which of them an apply changes.
/// opendkim(8) of OpenDKIM 2.11 (Debian 12, UCS 5.2), section OPERATION: on SIGUSR1 the
/// configuration file is re-read, "the following configuration file values … are not reloaded":
/// exactly <see cref="Names"/>. Everything else, among it the KeyTable, SigningTable,
/// InternalHosts and the keys, a reload picks up while the socket stays open.
/// </summary>
internal static class OpenDkimStartSettings
{
    public static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "AutoRestart", "AutoRestartCount", "AutoRestartRate", "Background", "MilterDebug", "PidFile", "POPDBFile",
        "Quarantine", "QueryCache", "Socket", "StrictTestMode", "TestPublicKeys", "UMask", "UserID");

    /// <summary>
    /// The start-only settings whose value in <paramref name="next"/> differs from the live
    /// opendkim.conf at <paramref name="liveConf"/> below <paramref name="root"/> (read through TrustedRead), the file the running OpenDKIM last read (on
    /// the first apply Debian's own). No live file: the running OpenDKIM's settings are unknown,
    /// so every start-only setting of <paramref name="next"/> counts as changed.
    /// </summary>
    public static ImmutableArray<string> Changed(string root, string liveConf, IEnumerable<ConfigSetting> next)
    {
        var wanted = StartOnly(next.Select(s => (s.Name, s.Value)));
        if (TrustedRead.Text(root, liveConf) is not { } text)
        {
            return [.. wanted.Keys.Order(StringComparer.OrdinalIgnoreCase)];
        }

        var live = StartOnly(text.Split('\n').Select(Parse).OfType<(string, string)>());
        return [.. wanted.Keys.Union(live.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(name => wanted.GetValueOrDefault(name) != live.GetValueOrDefault(name))
            .Order(StringComparer.OrdinalIgnoreCase)];
    }

    private static Dictionary<string, string> StartOnly(IEnumerable<(string Name, string Value)> settings)
    {
        // As OpenDKIM reads its file, a later line for the same name wins.
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in settings.Where(s => Names.Contains(s.Name)))
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>One line of opendkim.conf(5): <c>Name value</c>, '#' to the end of the line a comment; null for a blank or comment line.</summary>
    private static (string Name, string Value)? Parse(string line)
    {
        var text = (line.IndexOf('#') is var hash and >= 0 ? line[..hash] : line).Trim();
        var split = text.IndexOfAny([' ', '\t']);
        return text.Length == 0 ? null : split < 0 ? (text, "") : (text[..split], text[split..].Trim());
    }
}
