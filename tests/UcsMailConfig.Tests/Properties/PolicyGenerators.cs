using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Validate;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Properties;

// The generators build a small YAML tree of their own and print it themselves, instead of
// going through a YAML library's serializer: only then do hostile values reach the loader
// exactly as intended (a real U+2028 inside a double-quoted scalar, a raw '#' in a plain one,
// a '|' block with a line break), and only then can we also emit deliberately broken YAML.

/// <summary>How a scalar is written. <see cref="Raw"/> prints the text unescaped, which may well break the YAML: that is the point.</summary>
internal enum ScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Raw,
}

internal abstract class GNode
{
    public abstract GNode Clone();
}

internal sealed class GScalar(string value, ScalarStyle style) : GNode
{
    public string Value { get; set; } = value;

    public ScalarStyle Style { get; set; } = style;

    public override GNode Clone() => new GScalar(Value, Style);
}

internal sealed class GEntry(GScalar key, GNode value)
{
    public GScalar Key { get; set; } = key;

    public GNode Value { get; set; } = value;

    public GEntry Clone() => new((GScalar)Key.Clone(), Value.Clone());
}

internal sealed class GMap(List<GEntry> entries, bool flow) : GNode
{
    public List<GEntry> Entries { get; } = entries;

    public bool Flow { get; set; } = flow;

    public GNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;

    public string? Text(string key) => this[key] is GScalar scalar ? scalar.Value : null;

    public void Remove(string key) => Entries.RemoveAll(e => e.Key.Value == key);

    public void Set(string key, GNode value)
    {
        var entry = Entries.FirstOrDefault(e => e.Key.Value == key);
        if (entry is null)
        {
            Entries.Add(new GEntry(new GScalar(key, ScalarStyle.Plain), value));
        }
        else
        {
            entry.Value = value;
        }
    }

    public override GNode Clone() => new GMap([.. Entries.Select(e => e.Clone())], Flow);
}

internal sealed class GSeq(List<GNode> items, bool flow) : GNode
{
    public List<GNode> Items { get; } = items;

    public bool Flow { get; set; } = flow;

    public override GNode Clone() => new GSeq([.. Items.Select(i => i.Clone())], Flow);
}

/// <summary>A policy as the loader will see it, with where it came from for the failure report.</summary>
internal sealed record PolicyInput(string Origin, string Yaml, byte[]? Bytes = null)
{
    public PolicyLoadResult Load() => Bytes is null ? PolicyLoader.Load(Yaml) : PolicyLoader.Load(Bytes);

    /// <summary>A C#-pasteable literal, so that a shrunk failure can become a unit test as it is.</summary>
    public override string ToString() =>
        $"{Origin}{(Bytes is null ? "" : $" (as {Bytes.Length} bytes: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 4096)))})")}\n{Literal(Yaml)}";

    public static string Literal(string text) =>
        JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

/// <summary>Prints a <see cref="GNode"/> tree as block YAML, with flow style where a node asks for it.</summary>
internal static class YamlPrinter
{
    public static string Print(GNode root)
    {
        var builder = new StringBuilder();
        switch (root)
        {
            case GMap { Entries.Count: > 0 } map:
                Block(builder, map, 0, firstInline: false);
                break;
            default:
                builder.Append(Inline(root)).Append('\n');
                break;
        }

        return builder.ToString();
    }

    private static void Block(StringBuilder builder, GMap map, int indent, bool firstInline)
    {
        for (var i = 0; i < map.Entries.Count; i++)
        {
            var entry = map.Entries[i];
            if (!(firstInline && i == 0))
            {
                builder.Append(' ', indent);
            }

            builder.Append(Scalar(entry.Key, flow: false, key: true)).Append(':');
            AfterIndicator(builder, entry.Value, indent);
        }
    }

    private static void Block(StringBuilder builder, GSeq seq, int indent)
    {
        foreach (var item in seq.Items)
        {
            builder.Append(' ', indent).Append('-');
            if (item is GMap { Entries.Count: > 0, Flow: false } map)
            {
                builder.Append(' ');
                Block(builder, map, indent + 2, firstInline: true);
            }
            else
            {
                AfterIndicator(builder, item, indent);
            }
        }
    }

    /// <summary>Writes what follows "key:" or "-": an inline value, a '|' block, or a nested block one level deeper.</summary>
    private static void AfterIndicator(StringBuilder builder, GNode node, int indent)
    {
        switch (node)
        {
            case GScalar { Style: ScalarStyle.Literal } literal when CanBeLiteral(literal.Value):
                builder.Append(" |-\n");
                foreach (var line in literal.Value.Split('\n'))
                {
                    if (line.Length > 0)
                    {
                        builder.Append(' ', indent + 2).Append(line);
                    }

                    builder.Append('\n');
                }

                break;
            case GMap { Entries.Count: > 0, Flow: false } map:
                builder.Append('\n');
                Block(builder, map, indent + 2, firstInline: false);
                break;
            case GSeq { Items.Count: > 0, Flow: false } seq:
                builder.Append('\n');
                Block(builder, seq, indent + 2);
                break;
            default:
                builder.Append(' ').Append(Inline(node)).Append('\n');
                break;
        }
    }

    /// <summary>A node on one line: a scalar, or a collection in flow style.</summary>
    private static string Inline(GNode node) => node switch
    {
        GScalar scalar => Scalar(scalar, flow: false, key: false),
        GMap map => "{" + string.Join(", ", map.Entries.Select(e => $"{Scalar(e.Key, flow: true, key: true)}: {Flow(e.Value)}")) + "}",
        GSeq seq => "[" + string.Join(", ", seq.Items.Select(Flow)) + "]",
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string Flow(GNode node) => node is GScalar scalar ? Scalar(scalar, flow: true, key: false) : Inline(node);

    private static string Scalar(GScalar scalar, bool flow, bool key)
    {
        var value = scalar.Value;
        return scalar.Style switch
        {
            ScalarStyle.Raw => value,
            ScalarStyle.Plain when IsPlainSafe(value, flow) => value,
            ScalarStyle.SingleQuoted when CanBeSingleQuoted(value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => DoubleQuoted(value),
        };
    }

    /// <summary>
    /// Conservative on purpose: a valid value printed plain must read back as the same text,
    /// so anything YAML could take for an indicator, a comment, a key or null gets quotes.
    /// </summary>
    public static bool IsPlainSafe(string value, bool flow)
    {
        if (value.Length is 0 or > 200 || value is "~" or "null" or "Null" or "NULL"
            || !(char.IsAsciiLetterOrDigit(value[0]) || value[0] == '/')
            || value.EndsWith(':') || value.EndsWith(' ')
            || value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal))
        {
            return false;
        }

        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '+' or '-' or '@' || (!flow && c is ':' or ' '));
    }

    private static bool IsLineBreakOrControl(char c) =>
        c < ' ' || c is '\u007F' or '\u0085' or '\u2028' or '\u2029' or '\uFEFF' || char.IsSurrogate(c) || (c >= '\u0080' && c <= '\u009F');

    private static bool CanBeSingleQuoted(string value) => !value.Any(IsLineBreakOrControl);

    private static bool CanBeLiteral(string value) =>
        value.Length > 0 && !value.EndsWith('\n') && value[0] != ' '
        && value.Split('\n').All(line => line.Length == 0 || (line[0] != ' ' && line.Trim().Length > 0))
        && !value.Any(c => c != '\n' && IsLineBreakOrControl(c));

    /// <summary>
    /// Control characters and Unicode line breaks become YAML escapes, so the loader gets the
    /// real character; lone surrogates stay raw, since YAML has no escape for them and the
    /// loader's string API can still receive them.
    /// </summary>
    public static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\a' => "\\a",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\v' => "\\v",
                '\f' => "\\f",
                '\r' => "\\r",
                '\u001B' => "\\e",
                '\u0085' => "\\N",
                '\u00A0' => "\\_",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                _ when c < ' ' || c == '\u007F' || (c >= '\u0080' && c <= '\u009F') || c == '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>Sample values: valid ones per value format, and hostile ones for every position.</summary>
internal static class Samples
{
    public const string Marker = "INJECTED_LINE";

    /// <summary>
    /// Candidates for every formatted value. Each format takes the candidates its own check
    /// accepts, so a sample that is not valid can never sneak into the "valid" generator, and
    /// a new format finds its samples here (or fails loudly, see <see cref="ForFormat"/>).
    /// </summary>
    private static readonly string[] FormatCandidates =
    [
        // durations
        "1h", "0", "30m", "5d", "2w", "3600s", "10", "0h", "99999",
        // domains and host names
        "example.com", "example.org", "example.net", "mail.example.com", "sub.example.co.uk", "xn--bcher-kva.example", "a-b.example", "Example.ORG", "localhost",
        // selectors
        "20261128", "03122017", "20260101", "mail2026", "s1", "default", "key-1", "a.b",
        // hosts and networks
        "127.0.0.1", "::1", "10.20.0.0/16", "192.0.2.10", "fd00::/8", "2001:db8::1", "0.0.0.0/0",
        // sockets
        "localhost:12345", "127.0.0.1:8891", "[::1]:8891", "localhost:11332", "inet:localhost:10025", "mail.example.com:2525",
        "/var/spool/postfix/opendkim/opendkim.sock", "/var/spool/postfix/x/y.sock", "unix:/var/spool/postfix/rspamd/rspamd.sock", "inet:[::1]:10026", "localhost:8891",
        // key paths and key folders (no key path is DOMAIN/SELECTOR.private below a key folder, where the default paths live, so they cannot collide with those)
        "/etc/dkim/example.com.pem", "/srv/keys/k1.key", "/var/lib/dkim/a_b-c.private", "/k",
        "/etc/opendkim/keys/custom/k1.pem", "/srv/dkim", "/srv/dkim/k2.key",
        // Postfix parameter names, including stock ones UCS manages through UCR variables
        "smtp_line_length_limit", "smtpd_banner", "disable_vrfy_command", "smtpd_helo_required", "header_size_limit", "message_size_limit", "relayhost", "inet_protocols", "x1_y2",
        // header names
        "From", "Subject", "Reply-To", "To", "Cc", "Date", "Message-ID", "List-Unsubscribe",
        // milter names
        "rspamd", "clamav", "opendkim", "spam-filter_1", "amavis", "0x",
        // sender patterns
        "*@example.com", "news@example.org", "*@*.example.net", "a.b+c@lists.example.org", "*@*",
        // SPF mechanisms
        "mx", "a", "mx:example.com", "a:mail.example.com/24", "a/24//64", "mx//64", "ip4:192.0.2.0/24", "ip4:198.51.100.7", "ip6:2001:db8::/32",
        "include:_spf.mail-provider.example", "exists:example.com", "-ip4:10.0.0.0/8", "~mx", "?a", "+a", "MX",
        // DMARC report URIs
        "mailto:dmarc@example.com", "mailto:dmarc-reports@example.org!10m", "mailto:a+b@sub.example.net!5", "MAILTO:x@example.com",
    ];

    /// <summary>Values for free text (parameter values): odd but valid, so they must render, and render on one line.</summary>
    private static readonly string[] TextSamples =
    [
        "yes", "no", "52428800", "$myhostname ESMTP $mail_name", "hash:/etc/postfix/transport", "permit_mynetworks, reject_unauth_destination",
        "0", "", "10s", "ünïcödé wert", "値", "😀 mail", "a 'quoted' value", "say \"hi\"", "#not-a-comment", "x = y", "a: b", "{{ 1 + 1 }}",
        "{{ object.eval 'x' }}", "{% raw %}", "100%", "@%", "%@", "@!", "  padded  ", "back\\slash", "tab-free text", new string('v', 300),
    ];

    /// <summary>Values that must be rejected where they are invalid and never break the output where they are accepted.</summary>
    public static readonly string[] Hostile =
    [
        "", " ", "  leading", "trailing  ", new string('a', 5000), new string('x', 70_000), string.Concat(Enumerable.Repeat("😀", 60)),
        "ünïcödé", "日本語.example", "émoji😀.example.com", "\"", "'", "it's", "a\"b", "#", "# comment", "a #b", "key: value", ": ", "-", "- item",
        "@%@", "@%@UCRWARNING=# @%@", "@!@ import os; os.system('id') @!@", "x@%@y", "@%@hostname@%@",
        "\n", "a\n" + Marker, "a\r\n" + Marker, "a\r" + Marker, "\u2028", "a\u2028" + Marker, "a\u2029" + Marker, "\u0085", "a\u0085" + Marker,
        "a\v" + Marker, "a\f" + Marker, "\t", "a\tb", "\0", "a\0b", "\u0007", "\u001b[31mred", "\u007f", "\u009b", "\uFEFF", "a\uFEFFb", "\uD800", "\uDC00x", "a\uD83D",
        "\u202Eevil", "\u200B", "${x}", "{{ 1 + 1 }}", "{{ object.eval 'x' }}", "%{x}", "$(reboot)", "`id`",
        "../../etc/passwd", "/var/spool/postfix/../../etc/x", "/var/spool/postfix/", "/tmp/x.sock", "unix:relative.sock", "inet:", "localhost:0", "localhost:65536", "[::1]", "[::1]:", "1.2.3.4:80",
        "example..com", "-example.com", "example.com.", ".", "ip4:999.0.0.1", "ip4:10.0.0.1/33", "include:", "all", "+all", "mailto:", "mailto:a@b", "mailto:a@example.com!", "mailto:a,b@example.com",
        "99999999999999999999", "-1", "+6", "0x10", "1e3", "1.5", "1.0", "yes", "no", "on", "off", "null", "~", "NULL", "true", "false", "TRUE", "True",
        "[a, b]", "{a: b}", "&anchor x", "*alias", "!tag x", "!!str x", "|", ">", "%YAML 1.2", "---", "...", "?", "a,b", "a;b",
        new string('a', 64) + ".example.com", "*@*", "*@", "@example.com", "*@*.", "pass", "myhostname", "milter_protocol", "maximal_queue_lifetime",
        "opendkim", "localhost:8891", "1d2h", "1H", "5 d", "-5d", "1y",
    ];

    /// <summary>A line break followed by a marker: if the marker ever starts a rendered line, a value forged a line.</summary>
    public static readonly string[] LineBreaks = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085", "\v", "\f"];

    public static readonly string[] CanarySuffixes = [" = 1", "=x", "", " yes", ": x", " mail/postfix/x=1"];

    /// <summary>Characters that are most likely to confuse a YAML parser or a line-based output format.</summary>
    public static readonly string[] InterestingCharacters =
    [
        "\0", "\t", "\r", "\n", "\r\n", "\uFEFF", "\uD800", "\uDFFF", "\u2028", "\u2029", "\u0085", "\u00A0", "\u0007", "\u001B", "\u007F", "\u009B",
        ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", " #", "&", "*", "!", "|", ">", "%", "@", "?", "`", "\\", " ", "  ", "~",
        "😀", "ü", "日", "@%@", "@!@",
    ];

    public static readonly string[] StructureLines =
    [
        "  - x", "? a", "&a x: 1", "x: *a", "!!str x: 1", "--- ", "...", "%YAML 1.1", "<<: *a", "version: 1", "version: 2", "domains: {}", "postfix: []",
        "dkim:\n  enabled: false", "  socket: /tmp/dkim.sock", "x: |\n  a\n  b", "x: >\n  a\n  b", "[", "{", "\"unterminated", "'unterminated", "\t- tab",
    ];

    public static readonly string[] Booleans = ["true", "false", "True", "FALSE"];

    public static string[] ForFormat(ValueFormat format)
    {
        var valid = FormatCandidates.Where(format.IsValid).Distinct(StringComparer.Ordinal).ToArray();
        return valid.Length > 0
            ? valid
            : throw new InvalidOperationException(
                $"no valid sample for the value format '{format.Name}'; add a few valid values to {nameof(Samples)}.{nameof(FormatCandidates)}");
    }

    public static string[] ForText() => TextSamples;

    /// <summary>Every sample of every kind: a value of one format is usually a near miss for another.</summary>
    public static readonly string[] AllSamples = [.. FormatCandidates, .. TextSamples, .. Booleans];
}

/// <summary>CsCheck generators for policy text, driven by <see cref="PolicySchema.Root"/>.</summary>
internal static class PolicyGenerators
{
    private static readonly Gen<ScalarStyle> ValidStyle = Gen.Frequency(
        (6, ScalarStyle.Plain), (2, ScalarStyle.DoubleQuoted), (2, ScalarStyle.SingleQuoted));

    private static readonly Gen<ScalarStyle> AnyStyle = Gen.Frequency(
        (3, ScalarStyle.DoubleQuoted), (2, ScalarStyle.Raw), (2, ScalarStyle.Plain), (1, ScalarStyle.SingleQuoted), (2, ScalarStyle.Literal));

    /// <summary>Short strings: arbitrary UTF-16 (lone surrogates included) or built from the characters that trouble parsers most.</summary>
    public static readonly Gen<string> RandomText = Gen.Frequency(
        (1, Gen.String[0, 12]),
        (1, Gen.Int[0, Samples.InterestingCharacters.Length - 1].Array[0, 6].Select(picks => string.Concat(picks.Select(i => Samples.InterestingCharacters[i])) + "x")));

    /// <summary>A tree that walks the whole schema: every optional key appears with a fair chance, so a new key is exercised without touching this file.</summary>
    public static readonly Gen<GMap> ValidTree = ForShape(PolicySchema.Root).Select(node =>
    {
        var root = (GMap)node;
        PolicyRepair.MakeConsistent(root);
        return root;
    });

    /// <summary>Policies meant to be accepted (the sanity property checks that most of them are).</summary>
    public static readonly Gen<PolicyInput> Valid = ValidTree.Select(tree => new PolicyInput("valid", YamlPrinter.Print(tree)));

    /// <summary>A valid tree with one to four hostile edits: bad values, bad keys, wrong types, missing or repeated keys.</summary>
    public static readonly Gen<PolicyInput> Hostile = Gen.Select(ValidTree, TreeEdit.Gen.Array[1, 4], (tree, edits) =>
    {
        foreach (var edit in edits)
        {
            edit.Apply(tree);
        }

        return new PolicyInput($"hostile [{string.Join("; ", edits.Select(e => e.ToString()))}]", YamlPrinter.Print(tree));
    });

    /// <summary>A valid tree with one value (or key) replaced by a line-break canary written so that the loader really sees the break.</summary>
    public static readonly Gen<PolicyInput> Canary = Gen.Select(ValidTree, Gen.Int[0, int.MaxValue], Gen.Int[0, Samples.LineBreaks.Length - 1],
        Gen.Int[0, Samples.CanarySuffixes.Length - 1], Gen.Bool, (tree, target, lineBreak, suffix, literal) =>
        {
            var scalars = Positions.Scalars(tree, includeKeys: true);
            var (scalar, isKey) = scalars[target % scalars.Count];
            var breakText = Samples.LineBreaks[lineBreak];
            scalar.Value = scalar.Value + breakText + Samples.Marker + Samples.CanarySuffixes[suffix];

            // A '|' block carries a raw line feed; every other break goes through a double-quoted escape.
            scalar.Style = literal && !isKey && breakText == "\n" ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
            return new PolicyInput($"canary {PolicyInput.Literal(breakText)} in {(isKey ? "key" : "value")} (style {scalar.Style})", YamlPrinter.Print(tree));
        });

    /// <summary>The examples' policies and generated valid policies, then damaged as text or as bytes.</summary>
    public static Gen<PolicyInput> Mutated(IReadOnlyList<string> examples)
    {
        var seed = Gen.Frequency(
            (1, Gen.Int[0, examples.Count - 1].Select(i => ("example", examples[i]))),
            (2, Valid.Select(p => ("generated", p.Yaml))));
        return Gen.Select(seed, TextEdit.Gen.Array[1, 5], ByteEdit.Gen, (source, edits, bytes) =>
        {
            var text = source.Item2;
            foreach (var edit in edits)
            {
                text = edit.Apply(text);
            }

            var origin = $"mutated {source.Item1} [{string.Join("; ", edits.Select(e => e.ToString()))}]";
            return bytes is null ? new PolicyInput(origin, text) : new PolicyInput($"{origin} {bytes}", text, bytes.Apply(text));
        });
    }

    private static Gen<GNode> ForShape(Shape shape) => shape switch
    {
        ObjectShape obj => ForObject(obj),
        MapShape map => ForMap(map),
        ListShape list => ForList(list),
        ScalarShape scalar => ForScalar(scalar.Kind).Select(s => (GNode)s),

        // A new kind of shape needs a generator; failing here is how the test asks for one.
        _ => throw new NotSupportedException($"no generator for the schema shape {shape.GetType().Name}"),
    };

    private static Gen<GNode> ForObject(ObjectShape shape)
    {
        var entries = shape.Properties.Select(property =>
        {
            var present = ForShape(property.Shape).Select(value => (GEntry?)new GEntry(new GScalar(property.Name, ScalarStyle.Plain), value));
            return property.Required ? present : Gen.Frequency((2, Gen.Const((GEntry?)null)), (3, present));
        });

        // Key order and the key's quoting do not change the policy; varying them exercises the reader.
        return Gen.Select(Sequence(entries), Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Bool, (list, order, shuffle, flow) =>
        {
            var present = list.OfType<GEntry>().ToList();
            if (order == 0)
            {
                Shuffle(present, shuffle);
            }

            if (order == 1)
            {
                foreach (var entry in present)
                {
                    entry.Key.Style = shuffle % 2 == 0 ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted;
                }
            }

            return (GNode)new GMap(present, flow && present.Count <= 2);
        });
    }

    private static Gen<GNode> ForMap(MapShape shape)
    {
        var entry = Gen.Select(ForScalar(shape.Key.Kind), ForShape(shape.Value), (key, value) => new GEntry(key, value));

        // Keys differ in more than case: domain names are not case-sensitive, and the repair relies on unique keys.
        return Gen.Select(entry.Array[1, 3], Gen.Bool, (entries, flow) => (GNode)new GMap(
            [.. entries.DistinctBy(e => e.Key.Value.ToLowerInvariant())], flow));
    }

    private static Gen<GNode> ForList(ListShape shape) =>
        Gen.Select(ForShape(shape.Item).Array[1, 3], Gen.Bool, (items, flow) => (GNode)new GSeq(
            [.. items.Where((item, index) => item is not GScalar scalar || !items.Take(index).OfType<GScalar>().Any(s => s.Value == scalar.Value))], flow));

    private static Gen<GScalar> ForScalar(ScalarKind kind)
    {
        var value = kind switch
        {
            TextKind => Gen.OneOf(Samples.ForText()),
            BooleanKind => Gen.OneOf(Samples.Booleans),
            IntegerKind range => Gen.Int[range.Minimum, range.Maximum].Select(i => i.ToString(CultureInfo.InvariantCulture)),
            ChoiceKind choice => Gen.OneOf([.. choice.Choices]),
            FormattedKind formatted => Gen.OneOf(Samples.ForFormat(formatted.Format)),
            _ => throw new NotSupportedException($"no generator for the scalar kind {kind.GetType().Name}"),
        };
        return Gen.Select(value, ValidStyle, (v, style) => new GScalar(v, style));
    }

    public static Gen<ScalarStyle> HostileStyle => AnyStyle;

    private static Gen<T[]> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, next) => Gen.Select(all, next, (list, item) => (T[])[.. list, item]));

    public static void Shuffle<T>(List<T> list, int seed)
    {
        var random = new Random(seed);
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}

/// <summary>Where a tree edit can act: every scalar, entry and nested node, in document order.</summary>
internal static class Positions
{
    public static List<(GScalar Scalar, bool IsKey)> Scalars(GNode root, bool includeKeys)
    {
        var found = new List<(GScalar, bool)>();
        Walk(root, node =>
        {
            switch (node)
            {
                case GScalar scalar:
                    found.Add((scalar, false));
                    break;
                case GMap map when includeKeys:
                    found.AddRange(map.Entries.Select(e => (e.Key, true)));
                    break;
            }
        });
        return found;
    }

    public static List<GMap> Maps(GNode root)
    {
        var found = new List<GMap>();
        Walk(root, node =>
        {
            if (node is GMap map)
            {
                found.Add(map);
            }
        });
        return found;
    }

    /// <summary>Slots that hold a node (an entry's value or a list item), so that the node can be swapped for another type.</summary>
    public static List<(Func<GNode> Get, Action<GNode> Set)> Slots(GNode root)
    {
        var found = new List<(Func<GNode>, Action<GNode>)>();
        Walk(root, node =>
        {
            switch (node)
            {
                case GMap map:
                    found.AddRange(map.Entries.Select(e => ((Func<GNode>)(() => e.Value), (Action<GNode>)(v => e.Value = v))));
                    break;
                case GSeq seq:
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        var index = i;
                        found.Add((() => seq.Items[index], v => seq.Items[index] = v));
                    }

                    break;
            }
        });
        return found;
    }

    private static void Walk(GNode node, Action<GNode> visit)
    {
        visit(node);
        switch (node)
        {
            case GMap map:
                foreach (var entry in map.Entries.ToList())
                {
                    Walk(entry.Value, visit);
                }

                break;
            case GSeq seq:
                foreach (var item in seq.Items.ToList())
                {
                    Walk(item, visit);
                }

                break;
        }
    }
}

/// <summary>One hostile edit of a tree. The choices are plain numbers, so CsCheck can shrink them and the report can name them.</summary>
internal sealed record TreeEdit(TreeEdit.Kind What, int Target, int Pick, ScalarStyle Style, string Random)
{
    public enum Kind
    {
        HostileValue,
        HostileKey,
        NearMissValue,
        RandomValue,
        UnknownKey,
        RemoveEntry,
        DuplicateEntry,
        ChangeType,
    }

    public static readonly Gen<TreeEdit> Gen = CsCheck.Gen.Select(
        CsCheck.Gen.Enum<Kind>(), CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, int.MaxValue], PolicyGenerators.HostileStyle, PolicyGenerators.RandomText,
        (what, target, pick, style, random) => new TreeEdit(what, target, pick, style, random));

    private static readonly string[] UnknownKeys = ["versoin", "Version", "postfix ", "dkim.enabled", "x", "", "<<", "domains\t", "enabled"];

    public void Apply(GMap root)
    {
        switch (What)
        {
            case Kind.HostileValue or Kind.NearMissValue or Kind.RandomValue:
            {
                var scalars = Positions.Scalars(root, includeKeys: false);
                if (scalars.Count > 0)
                {
                    var scalar = scalars[Target % scalars.Count].Scalar;
                    scalar.Value = What switch
                    {
                        Kind.HostileValue => Samples.Hostile[Pick % Samples.Hostile.Length],
                        Kind.NearMissValue => Samples.AllSamples[Pick % Samples.AllSamples.Length],
                        _ => Random,
                    };
                    scalar.Style = Style;
                }

                break;
            }

            case Kind.HostileKey:
            {
                var keys = Positions.Scalars(root, includeKeys: true).Where(s => s.IsKey).ToList();
                if (keys.Count > 0)
                {
                    var key = keys[Target % keys.Count].Scalar;
                    key.Value = Pick % 3 == 0 ? Random : Samples.Hostile[Pick % Samples.Hostile.Length];
                    key.Style = Style == ScalarStyle.Literal ? ScalarStyle.DoubleQuoted : Style;
                }

                break;
            }

            case Kind.UnknownKey:
            {
                var maps = Positions.Maps(root);
                var map = maps[Target % maps.Count];
                map.Entries.Insert(Pick % (map.Entries.Count + 1),
                    new GEntry(new GScalar(UnknownKeys[Pick % UnknownKeys.Length], ScalarStyle.DoubleQuoted), new GScalar(Random, Style)));
                break;
            }

            case Kind.RemoveEntry or Kind.DuplicateEntry:
            {
                var maps = Positions.Maps(root).Where(m => m.Entries.Count > 0).ToList();
                if (maps.Count > 0)
                {
                    var map = maps[Target % maps.Count];
                    var index = Pick % map.Entries.Count;
                    if (What == Kind.RemoveEntry)
                    {
                        map.Entries.RemoveAt(index);
                    }
                    else
                    {
                        map.Entries.Insert(index, map.Entries[index].Clone());
                    }
                }

                break;
            }

            case Kind.ChangeType:
            {
                var slots = Positions.Slots(root);
                if (slots.Count > 0)
                {
                    var (get, set) = slots[Target % slots.Count];
                    var old = get();
                    set((Pick % 7) switch
                    {
                        0 => new GScalar(Samples.Hostile[Pick % Samples.Hostile.Length], Style),
                        1 => new GMap([], flow: true),
                        2 => new GSeq([], flow: true),
                        3 => new GScalar("~", ScalarStyle.Plain),
                        4 => new GSeq([old.Clone()], flow: Pick % 2 == 0),
                        5 => new GMap([new GEntry(new GScalar(Random, ScalarStyle.DoubleQuoted), old.Clone())], flow: false),
                        _ => new GScalar("", ScalarStyle.Plain),
                    });
                }

                break;
            }
        }
    }

    public override string ToString() => $"{What} at {Target % 1000} pick {Pick % 1000} as {Style}";
}

/// <summary>One edit of policy text, blind to its structure: what a careless editor, a bad merge or a truncated copy does.</summary>
internal sealed record TextEdit(TextEdit.Kind What, int Position, int Pick, string Random)
{
    public enum Kind
    {
        DeleteLine,
        DuplicateLine,
        SwapLines,
        Reindent,
        InsertCharacter,
        InsertRandom,
        Truncate,
        DeleteRange,
        ReplaceValue,
        InsertStructure,
        Nest,
    }

    public static readonly Gen<TextEdit> Gen = CsCheck.Gen.Select(
        CsCheck.Gen.Enum<Kind>(), CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, int.MaxValue], PolicyGenerators.RandomText,
        (what, position, pick, random) => new TextEdit(what, position, pick, random));

    public string Apply(string text)
    {
        var lines = text.Split('\n').ToList();
        var line = Position % lines.Count;
        var at = text.Length == 0 ? 0 : Position % (text.Length + 1);
        switch (What)
        {
            case Kind.DeleteLine:
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case Kind.DuplicateLine:
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            case Kind.SwapLines:
                var other = Pick % lines.Count;
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case Kind.Reindent:
                var trimmed = lines[line].TrimStart(' ');
                var indent = lines[line].Length - trimmed.Length;
                lines[line] = (Pick % 4) switch
                {
                    0 => trimmed,
                    1 => new string(' ', indent + 1 + Pick % 4) + trimmed,
                    2 => new string(' ', Math.Max(0, indent - 1 - Pick % 3)) + trimmed,
                    _ => "\t" + lines[line],
                };
                return string.Join('\n', lines);
            case Kind.InsertCharacter:
                return text.Insert(at, Samples.InterestingCharacters[Pick % Samples.InterestingCharacters.Length]);
            case Kind.InsertRandom:
                return text.Insert(at, Random);
            case Kind.Truncate:
                return text[..at];
            case Kind.DeleteRange:
                return text.Remove(at, Math.Min(text.Length - at, 1 + Pick % 20));
            case Kind.ReplaceValue:
            {
                var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                if (colon < 0)
                {
                    return text;
                }

                var hostile = Samples.Hostile[Pick % Samples.Hostile.Length];
                lines[line] = lines[line][..(colon + 2)] + ((Pick / 7) % 3) switch
                {
                    0 => hostile,
                    1 => YamlPrinter.DoubleQuoted(hostile),
                    _ => "'" + hostile.Replace("'", "''", StringComparison.Ordinal) + "'",
                };
                return string.Join('\n', lines);
            }

            case Kind.InsertStructure:
                lines.Insert(line, Samples.StructureLines[Pick % Samples.StructureLines.Length]);
                return string.Join('\n', lines);
            case Kind.Nest:
            {
                // Bounded: this is about odd nesting, not about the depth a reader can take.
                var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                if (colon < 0)
                {
                    return text;
                }

                var depth = 1 + Pick % 20;
                var (open, close) = Pick % 2 == 0 ? ("[", "]") : ("{a: ", "}");
                lines[line] = lines[line][..(colon + 2)] + string.Concat(Enumerable.Repeat(open, depth))
                    + lines[line][(colon + 2)..] + string.Concat(Enumerable.Repeat(close, depth - (Pick / 2) % 2));
                return string.Join('\n', lines);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(What));
        }
    }

    public override string ToString() => $"{What} at {Position % 10000} pick {Pick % 1000}";
}

/// <summary>Sends the text through the byte API: sometimes with a BOM, sometimes with bytes that are not UTF-8.</summary>
internal sealed record ByteEdit(ByteEdit.Kind What, int Position)
{
    public enum Kind
    {
        Plain,
        Bom,
        InvalidByte,
        Overlong,
        EncodedSurrogate,
        DoubleBom,
    }

    /// <summary>Null most of the time: then the text goes through the string API.</summary>
    public static readonly Gen<ByteEdit?> Gen = CsCheck.Gen.Frequency(
        (7, CsCheck.Gen.Const((ByteEdit?)null)),
        (3, CsCheck.Gen.Select(CsCheck.Gen.Enum<Kind>(), CsCheck.Gen.Int[0, int.MaxValue], (what, position) => (ByteEdit?)new ByteEdit(what, position))));

    public byte[] Apply(string text)
    {
        // The strict encoder would throw on lone surrogates in the text; a file cannot hold them either.
        var bytes = new UTF8Encoding(false, throwOnInvalidBytes: false).GetBytes(text).ToList();
        var at = Position % (bytes.Count + 1);
        switch (What)
        {
            case Kind.Bom:
                bytes.InsertRange(0, [0xEF, 0xBB, 0xBF]);
                break;
            case Kind.DoubleBom:
                bytes.InsertRange(0, [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]);
                break;
            case Kind.InvalidByte:
                bytes.Insert(at, 0xFF);
                break;
            case Kind.Overlong:
                bytes.InsertRange(at, [0xC0, 0x8A]);
                break;
            case Kind.EncodedSurrogate:
                bytes.InsertRange(at, [0xED, 0xA0, 0x80]);
                break;
        }

        return [.. bytes];
    }

    public override string ToString() => $"bytes {What} at {Position % 10000}";
}

/// <summary>
/// The semantic rules a valid policy must also meet (they relate values to each other, so a
/// per-value generator cannot meet them by chance). Applied to generated trees before any
/// hostile edit, so that rejections come from the edits, and most untouched trees are accepted.
/// </summary>
internal static class PolicyRepair
{
    private const string DefaultDkimSocket = "localhost:8891";

    public static void MakeConsistent(GMap root)
    {
        var domains = root["domains"] as GMap;
        var activeSelectors = RepairDomains(domains, RepairKeyFolder(root["dkim"] as GMap));
        var hasSelectors = domains?.Entries.Any(d => (d.Value as GMap)?["dkim"] is GMap dkim && dkim["selectors"] is GMap { Entries.Count: > 0 }) ?? false;

        var dkimNode = root["dkim"] as GMap;
        bool enabled;
        if (dkimNode is null)
        {
            enabled = hasSelectors;
        }
        else
        {
            // Any safe absolute path is a valid socket, but only one inside Postfix's chroot is usable.
            if (dkimNode.Text("socket") is { } socketText && !IsReachable(socketText))
            {
                dkimNode.Set("socket", new GScalar(MilterSocket.PostfixChroot + "opendkim/opendkim.sock", ScalarStyle.Plain));
            }

            enabled = dkimNode.Text("enabled") is not ("false" or "False" or "FALSE");
            if (enabled && !hasSelectors)
            {
                dkimNode.Set("enabled", new GScalar("false", ScalarStyle.Plain));
                enabled = false;
            }

            RepairSigning(dkimNode, activeSelectors);
        }

        var postfix = root["postfix"] as GMap;
        if (postfix?["milters"] is GMap milters && milters["chain"] is GSeq chain)
        {
            RepairChain(chain, enabled, enabled ? Parse(dkimNode?.Text("socket") ?? DefaultDkimSocket) : null);
        }

        if (postfix?["parameters"] is GMap parameters)
        {
            parameters.Entries.RemoveAll(e => IsRefusedParameter(e.Key.Value));
        }
    }

    /// <summary>The key folder the policy names if it can hold keys; an unusable one is removed.</summary>
    private static string RepairKeyFolder(GMap? dkim)
    {
        if (dkim?.Text("key_folder") is { } folder)
        {
            if (KeyFolder.Problem(folder) is null)
            {
                return folder;
            }

            dkim.Remove("key_folder");
        }

        return KeyFolder.Default;
    }

    /// <returns>The (domain, selector) pairs that can sign, in file order.</returns>
    private static List<(string Domain, string Selector)> RepairDomains(GMap? domains, string keyFolder)
    {
        var active = new List<(string, string)>();
        var keyFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in domains?.Entries ?? [])
        {
            if ((domain.Value as GMap)?["dkim"] is not GMap dkim)
            {
                continue;
            }

            if (dkim["selectors"] is GMap selectors)
            {
                foreach (var selector in selectors.Entries)
                {
                    var settings = selector.Value as GMap;

                    // Two selectors sharing a key file is an error, and so is one outside the key folder; the generated key paths come from a small pool.
                    if (settings?.Text("key") is { } key && (!KeyFolder.IsBelow(keyFolder, key) || !keyFiles.Add(key)))
                    {
                        settings.Remove("key");
                    }

                    if (settings?.Text("state") is null or "active")
                    {
                        active.Add((domain.Key.Value, selector.Key.Value));
                    }
                }
            }

        }

        foreach (var domain in domains?.Entries ?? [])
        {
            if ((domain.Value as GMap)?["spf"] is GMap spf && spf.Text("all") == "pass")
            {
                spf.Set("all", new GScalar("softfail", ScalarStyle.Plain));
            }
        }

        return active;
    }

    private static void RepairSigning(GMap dkim, List<(string Domain, string Selector)> active)
    {
        if (dkim["signing"] is not GSeq signing)
        {
            return;
        }

        if (active.Count == 0)
        {
            dkim.Remove("signing");
            return;
        }

        for (var i = 0; i < signing.Items.Count; i++)
        {
            if (signing.Items[i] is not GMap rule)
            {
                continue;
            }

            var (domain, selector) = active[i % active.Count];
            rule.Set("domain", new GScalar(domain, ScalarStyle.Plain));
            rule.Set("selector", new GScalar(selector, ScalarStyle.DoubleQuoted));
            if (rule.Text("from") is { } from && SenderPattern.IsCatchAll(from))
            {
                rule.Set("from", new GScalar("*@" + domain, ScalarStyle.DoubleQuoted));
            }
        }
    }

    private static void RepairChain(GSeq chain, bool dkimEnabled, MilterSocket? dkimSocket)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sockets = new HashSet<MilterSocket>();
        if (dkimSocket is not null)
        {
            sockets.Add(dkimSocket);
        }

        chain.Items.RemoveAll(item =>
        {
            if (item is not GMap milter || milter.Text("name") is not { } name || !names.Add(name))
            {
                return true;
            }

            if (name == "opendkim")
            {
                milter.Remove("socket");
                return !dkimEnabled;
            }

            return milter.Text("socket") is not { } text || !IsReachable(text) || Parse(text) is not { } socket || !sockets.Add(socket);
        });
    }

    private static bool IsReachable(string socket) =>
        Parse(socket) is not UnixMilterSocket unix || unix.Path.StartsWith(MilterSocket.PostfixChroot, StringComparison.Ordinal);

    private static MilterSocket? Parse(string text) => MilterSocket.TryParse(text, out var socket) ? socket : null;

    private static bool IsRefusedParameter(string name) =>
        StockUcsParameters.MilterParameters.Contains(name)
        || StockUcsParameters.Find(name) is { UcrVariable: null } or { PolicyKey: not null };
}
