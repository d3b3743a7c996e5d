using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs.Layout;

/// <summary>UCR's layers, the winning one first (UCS-FACTS.md, "UCR layers").</summary>
public enum UcrLayer
{
    /// <summary>base-forced.conf, written by <c>ucr set --force</c>.</summary>
    Forced,

    /// <summary>base-schedule.conf, written by <c>ucr set --schedule</c>.</summary>
    Schedule,

    /// <summary>base-ldap.conf: the host's UCR policies from the UCS directory, rewritten about hourly.</summary>
    Ldap,

    /// <summary>base.conf, written by a plain <c>ucr set</c>.</summary>
    Base,

    /// <summary>base-defaults.conf: the defaults of registered variable descriptions.</summary>
    Defaults,
}

/// <summary>A variable's effective value and the layer it comes from.</summary>
public sealed record UcrEffective(string Value, UcrLayer Layer)
{
    /// <summary>A layer that a plain <c>ucr set</c> (which writes base.conf) cannot override.</summary>
    public bool IsAboveBase => Layer < UcrLayer.Base;
}

/// <summary>
/// The one reader of UCR's registry files below a root (read-only: writing always goes through
/// <c>ucr set</c>/<c>unset</c>), so that an unchanged apply runs no program at all. Every layer
/// is read, and the first that holds a key wins, in UCS's order. The custom layer
/// (<c>$UNIVENTION_BASECONF</c>) is ignored on purpose: the tool runs as root and reads the host
/// below <c>--root</c>, not whatever file its caller's environment names. Lines are
/// <c>key: value</c>; '#' lines and lines without ": " are skipped, as UCR does. A layer file
/// that is a symlink or writable by others is refused (<see cref="UntrustedFileException"/>).
/// </summary>
internal sealed class UcrLayers
{
    /// <summary>Each layer's file below the root, winning first.</summary>
    public static readonly IReadOnlyList<(UcrLayer Layer, string File)> Files =
    [
        (UcrLayer.Forced, "etc/univention/base-forced.conf"),
        (UcrLayer.Schedule, "etc/univention/base-schedule.conf"),
        (UcrLayer.Ldap, "etc/univention/base-ldap.conf"),
        (UcrLayer.Base, "etc/univention/base.conf"),
        (UcrLayer.Defaults, "etc/univention/base-defaults.conf"),
    ];

    private readonly Dictionary<UcrLayer, Dictionary<string, string>> _layers;

    // Where each key was read (1-based line in its layer's file), for a source a person can open.
    private readonly Dictionary<(UcrLayer, string), int> _lines;

    private UcrLayers(Dictionary<UcrLayer, Dictionary<string, string>> layers, Dictionary<(UcrLayer, string), int>? lines = null)
    {
        _layers = layers;
        _lines = lines ?? [];
    }

    public static UcrLayers Read(string root)
    {
        var layers = new Dictionary<UcrLayer, Dictionary<string, string>>();
        var lines = new Dictionary<(UcrLayer, string), int>();
        foreach (var (layer, file) in Files)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            // Root's files in root's folders, or refused (TrustedRead): a layer decides what apply writes.
            var number = 0;
            foreach (var line in TrustedRead.Lines(root, file))
            {
                number++;
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (!line.StartsWith('#') && colon > 0)
                {
                    values[line[..colon]] = line[(colon + 2)..];
                    lines[(layer, line[..colon])] = number;
                }
            }

            layers[layer] = values;
        }

        return new UcrLayers(layers, lines);
    }

    /// <summary>The file of a layer, relative to the root.</summary>
    public static string FileOf(UcrLayer layer) => Files.First(f => f.Layer == layer).File;

    /// <summary>How an admin changes a value that a layer above base.conf holds (UCS-FACTS.md, "UCR layers").</summary>
    public static string HowToChange(UcrLayer layer, string name) => layer switch
    {
        UcrLayer.Ldap => $"it comes from a UCR policy object in the UCS directory: find the one that sets {name} for this host with 'univention-policy-result' and change or remove it there (a local 'ucr set' cannot override it; the ldap layer is rewritten from the directory about hourly)",
        UcrLayer.Forced => $"remove it with 'ucr unset --force {name}'",
        UcrLayer.Schedule => $"remove it with 'ucr unset --schedule {name}'",
        _ => $"set it with 'ucr set {name}=…'",
    };

    /// <summary>The value <c>ucr get</c> answers, with its layer; null when no layer holds the key.</summary>
    public UcrEffective? Effective(string name)
    {
        foreach (var (layer, _) in Files)
        {
            if (_layers[layer].TryGetValue(name, out var value))
            {
                return new UcrEffective(value, layer);
            }
        }

        return null;
    }

    /// <summary>Every variable with its effective value, whichever layer holds it (what <c>ucr dump</c> prints).</summary>
    public IReadOnlyDictionary<string, string> Dump()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (layer, _) in Files)
        {
            foreach (var (name, value) in _layers[layer])
            {
                values.TryAdd(name, value);
            }
        }

        return values;
    }

    /// <summary>The line of the layer's file that holds the key (0 when unknown, e.g. after <see cref="WithBase"/>).</summary>
    public int LineOf(UcrLayer layer, string name) => _lines.GetValueOrDefault((layer, name));

    /// <summary>The effective value alone (what <c>ucr get</c> prints).</summary>
    public string? Get(string name) => Effective(name)?.Value;

    /// <summary>The value one layer holds, whatever the layers above it say.</summary>
    public string? In(UcrLayer layer, string name) => _layers[layer].GetValueOrDefault(name);

    /// <summary>
    /// These layers with base.conf changed as <c>ucr set</c>/<c>unset</c> would (null: unset):
    /// what the host will read after an interrupted apply's journal is restored.
    /// </summary>
    public UcrLayers WithBase(IEnumerable<(string Name, string? Value)> changes)
    {
        var layers = _layers.ToDictionary(l => l.Key, l => new Dictionary<string, string>(l.Value, StringComparer.Ordinal));
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                layers[UcrLayer.Base].Remove(name);
            }
            else
            {
                layers[UcrLayer.Base][name] = value;
            }
        }

        return new UcrLayers(layers);
    }
}
