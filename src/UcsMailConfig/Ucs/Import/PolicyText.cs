// Contract: writes the YAML text of an imported policy: nested block mappings in the order the
// values were added, every value on its own line with a trailing "# from FILE:LINE (kind)"
// comment, list items in flow style, and what was left out as comment lines at the end. Quotes
// every scalar our loader could read as anything but the intended string. Pure: no I/O.
using System.Text;
using System.Text.RegularExpressions;

namespace UcsMailConfig.Ucs.Import;

internal sealed partial class PolicyText
{
    private readonly Node _root = new();
    private readonly List<ImportedValue> _taken = [];

    public IReadOnlyList<ImportedValue> Taken => _taken;

    /// <summary>Sets the value at <paramref name="path"/> (keys as plain text) to a YAML text made by <see cref="Str"/>, <see cref="Flow"/> or <see cref="Map"/>.</summary>
    public void Set(string[] path, string yaml, ImportSource source)
    {
        var node = _root;
        foreach (var key in path[..^1])
        {
            node = node.Child(key);
        }

        node.Entries.Add((path[^1], null, yaml, source));
        _taken.Add(new ImportedValue(string.Join('.', path), yaml, source));
    }

    /// <summary>Adds one item to the list at <paramref name="path"/>.</summary>
    public void Add(string[] path, string yaml, ImportSource source)
    {
        var node = _root;
        foreach (var key in path)
        {
            node = node.Child(key);
        }

        node.IsList = true;
        node.Entries.Add((null, null, yaml, source));
        _taken.Add(new ImportedValue(string.Join('.', path), yaml, source));
    }

    /// <summary>Places a section now, so that it is written in this order whenever it gets a value (an empty one is not written).</summary>
    public void Reserve(params string[] path)
    {
        var node = _root;
        foreach (var key in path)
        {
            node = node.Child(key);
        }
    }

    public bool Has(params string[] path)
    {
        var node = _root;
        foreach (var key in path)
        {
            if (node.Entries.FirstOrDefault(e => e.Key == key) is not { Child: { } child })
            {
                return node.Entries.Any(e => e.Key == key);
            }

            node = child;
        }

        return true;
    }

    public string Write(IEnumerable<string> header, IEnumerable<LeftOut> leftOut)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.AppendLine(line.Length == 0 ? "#" : "# " + line);
        }

        text.AppendLine("version: 1");
        Write(_root, 0, text);
        var left = leftOut.ToList();
        if (left.Count > 0)
        {
            text.AppendLine().AppendLine("# Left out: the policy cannot express these, so applying it does not keep them.");
            foreach (var item in left)
            {
                text.Append("#   ").AppendLine(item.ToString().ReplaceLineEndings(" "));
            }
        }

        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void Write(Node node, int depth, StringBuilder text)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (key, child, yaml, source) in node.Entries)
        {
            if (child is not null && child.IsEmpty)
            {
                continue;
            }

            if (child is not null)
            {
                text.Append(indent).Append(Str(key!)).AppendLine(":");
                Write(child, depth + 1, text);
            }
            else if (key is null)
            {
                text.Append(indent).Append("- ").Append(yaml).Append("  # from ").AppendLine(source!.ToString());
            }
            else
            {
                text.Append(indent).Append(Str(key)).Append(": ").Append(yaml).Append("  # from ").AppendLine(source!.ToString());
            }
        }
    }

    /// <summary>A string scalar: plain where YAML reads it back as that string, else double-quoted.</summary>
    public static string Str(string text) =>
        Plain().IsMatch(text) && !Special().IsMatch(text) ? text : "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string Flow(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Str)) + "]";

    /// <summary>A flow mapping; values are YAML texts already (use <see cref="Str"/> for strings).</summary>
    public static string Map(IEnumerable<(string Key, string Yaml)> pairs) => "{" + string.Join(", ", pairs.Select(p => $"{Str(p.Key)}: {p.Yaml}")) + "}";

    // Starts with a letter or '/', then no character YAML gives a meaning to inside a plain scalar.
    [GeneratedRegex(@"^[A-Za-z/][A-Za-z0-9_./+=-]*(:[A-Za-z0-9_./+=-]+)*$")]
    private static partial Regex Plain();

    [GeneratedRegex("^(true|false|yes|no|on|off|null|y|n)$", RegexOptions.IgnoreCase)]
    private static partial Regex Special();

    private sealed class Node
    {
        public List<(string? Key, Node? Child, string? Yaml, ImportSource? Source)> Entries { get; } = [];

        public bool IsList { get; set; }

        public bool IsEmpty => Entries.All(e => e.Child is { IsEmpty: true });

        public Node Child(string key)
        {
            if (Entries.FirstOrDefault(e => e.Key == key && e.Child is not null) is { Child: { } found })
            {
                return found;
            }

            var child = new Node();
            Entries.Add((key, child, null, null));
            return child;
        }
    }
}
