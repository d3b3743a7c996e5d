using UcsMailConfig.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UcsMailConfig.Policy.Load;

/// <summary>
/// Our YAML subset, as rules over YamlDotNet's event stream: what the library reads but a policy
/// may not use. Contract: an anchor, an alias, a tag other than '!!str' and '!!str' on a list or
/// mapping are reported and reading goes on; a directive, a NUL character, a block scalar, a value
/// continued on the next line, a '? ' key, an empty key and a list or mapping as a key end the
/// reading (<see cref="UnreadableYaml"/>). Positions come from the events' marks; the raw text is
/// read only where an event does not carry what a message quotes (a tag as written, the '?').
/// </summary>
internal sealed class YamlEventRules(string text, DiagnosticBag diagnostics)
{
    private const string TextTag = "!!str";

    /// <summary>Where the reading must stop before the library sees the text: a NUL (the library reads it as the end) or a directive.</summary>
    public void CheckText()
    {
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw UnreadableYaml.Syntax(PositionOf(nul), "the policy file holds a NUL character here; remove it");
        }

        // The first content line: YAML allows directives only before the document.
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '%')
            {
                throw UnreadableYaml.Unsupported(PositionOf(i), "directives such as '%YAML' are not supported; remove the line");
            }

            if (c == '#')
            {
                i = LineEnd(i);
            }
            else if (c is not (' ' or '\t' or '\n' or '\r'))
            {
                return;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Reports the node's anchor and any tag but '!!str'; true when the node carries '!!str'.</summary>
    public bool CheckProperties(NodeEvent node)
    {
        if (node.Anchor.IsEmpty && node.Tag.IsEmpty)
        {
            return false;
        }

        // The properties as written, from the node's start: '&name' and '!tag' separated by spaces.
        var textTag = false;
        var at = (int)node.Start.Index;
        while (at < text.Length && text[at] is '&' or '!')
        {
            var end = at;
            while (end < text.Length && text[end] is not (' ' or '\t' or '\n' or '\r' or ',' or '[' or ']' or '{' or '}'))
            {
                end++;
            }

            var property = text[at..end];
            if (property[0] == '&')
            {
                diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, PositionFrom(node.Start, at),
                    $"anchor {Text.Quote(property)} is not supported; write each value out in full");
            }
            else if (property == TextTag)
            {
                textTag = true;
            }
            else
            {
                diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, PositionFrom(node.Start, at),
                    $"tag {Text.Quote(property)} is not supported; remove it (quote a value to keep it as text)");
            }

            at = end;
            while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\r')
            {
                at++;
            }
        }

        if (textTag && node is not Scalar)
        {
            diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(node.Start), "tag '!!str' is only allowed on a single value, not on a list or mapping");
        }

        return textTag;
    }

    public YamlRejected Alias(AnchorAlias alias)
    {
        // Mostly a sender pattern such as *@example.com, unquoted: YAML reads any value starting with '*' as an alias.
        var written = "*" + alias.Value.Value;
        diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(alias.Start),
            $"alias {Text.Quote(written)}: YAML reads a value starting with '*' as an alias, which a policy does not support; quote a value starting with '*': \"{(written.Length > 80 ? "*..." : Text.Escape(written))}\" (an alias of an anchored value: write that value out in full)");
        return new YamlRejected(At(alias.Start));
    }

    /// <summary>A value must fit on one line: block scalars and values continued on the next line end the reading.</summary>
    public void CheckScalar(Scalar scalar, YamlParent parent)
    {
        switch (scalar.Style)
        {
            case ScalarStyle.Literal or ScalarStyle.Folded:
                throw UnreadableYaml.Unsupported(At(scalar.Start), "block scalars ('|', '>') are not supported; write the value on one line, in quotes if needed");
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when scalar.End.Line != scalar.Start.Line:
                throw UnreadableYaml.Unsupported(At(scalar.Start), "a quoted value continues on the next line; write it on one line");
            case ScalarStyle.Plain when scalar.End.Line != scalar.Start.Line:
                // Nearly always an indentation mistake in a policy: a nested key under a key with a value.
                var next = NextLineContent((int)scalar.Start.Index);
                throw UnreadableYaml.Syntax(PositionFrom(scalar.Start, next), parent.Flow is { } open
                    ? $"expected ',' or '{(open.IsSequence ? ']' : '}')}' in the {(open.IsSequence ? "list" : "mapping")} opened at line {open.Start.Line}, column {open.Start.Column}"
                    : IndentedMore(parent.Kind, ValueBefore(next)));
        }
    }

    /// <summary>The key of a mapping entry: a single value; null for an alias (already reported). '? ' keys never get here (<see cref="ExplicitKeyRefusingScanner"/>).</summary>
    public YamlScalar? CheckKey(YamlNode key, ParsingEvent value) => key switch
    {
        YamlScalar { IsPlain: true, Value: "" } => throw UnreadableYaml.Unsupported(ValueIndicatorBefore(value.Start), "a key is missing before ':'; an empty key is not supported"),
        YamlScalar scalar => scalar,
        YamlRejected => null,
        _ => throw new UnreadableYaml(DiagnosticCode.WrongType, key.Start, $"a key must be a single value, not {key.KindName}"),
    };

    /// <summary>The ':' before a value: the library marks an empty key where its mapping started.</summary>
    private SourcePosition ValueIndicatorBefore(Mark value)
    {
        var i = (int)Math.Min(value.Index, text.Length) - 1;
        while (i > 0 && text[i] != ':')
        {
            i--;
        }

        return PositionOf(Math.Max(0, i));
    }

    /// <summary>Today's message for a line indented more than its place allows, by what the line is inside of.</summary>
    public static string IndentedMore(YamlParentKind kind, string? valueAbove) => kind switch
    {
        YamlParentKind.Mapping when valueAbove is not null && valueAbove.Contains(':', StringComparison.Ordinal) =>
            $"this line is indented more than the key above it, whose value is {Text.Quote(valueAbove)}; if that was meant as 'key: value', put a space after ':'",
        YamlParentKind.Mapping => "this line is indented more than the key above it; a value must fit on one line, and nested keys belong under a key without a value",
        YamlParentKind.Sequence => "this line is indented more than the list item above it; a value must fit on one line, and nested keys belong under a key without a value",
        _ => "this line is indented more than the lines before it allow; a value must fit on one line, and nested keys belong under a key without a value",
    };

    /// <summary>The plain value on the content line above index <paramref name="line"/>: what follows its first ': ' (or the whole line).</summary>
    public string? ValueBefore(int line)
    {
        var end = text.LastIndexOfAny(['\n', '\r'], Math.Max(0, line - 1));
        while (end > 0 && text[end] is '\n' or '\r' or ' ' or '\t')
        {
            end--;
        }

        if (end <= 0)
        {
            return null;
        }

        var start = text.LastIndexOfAny(['\n', '\r'], end) + 1;
        var content = text[start..(end + 1)].Trim();
        var colon = content.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? content : content[(colon + 2)..].Trim();
    }

    /// <summary>The first character after the next line break(s) and indentation from <paramref name="from"/>.</summary>
    private int NextLineContent(int from)
    {
        var i = from;
        while (i < text.Length && text[i] is not ('\n' or '\r'))
        {
            i++;
        }

        while (i < text.Length && text[i] is '\n' or '\r' or ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private int LineEnd(int from)
    {
        var end = text.IndexOfAny(['\n', '\r'], from);
        return end < 0 ? text.Length : end;
    }

    /// <summary>Line and column of a character index at or after a known mark: the walk stays within one node.</summary>
    public SourcePosition PositionFrom(Mark mark, int index)
    {
        var line = (int)mark.Line;
        var lineStart = (int)mark.Index - (int)mark.Column + 1;
        for (var i = (int)mark.Index; i < index && i < text.Length; i++)
        {
            if (IsBreak(i))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourcePosition(line, index - lineStart + 1);
    }

    /// <summary>Line and column of a character index, counting line breaks as the library does (CR LF, LF, CR).</summary>
    public SourcePosition PositionOf(int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (IsBreak(i))
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourcePosition(line, index - lineStart + 1);
    }

    /// <summary>A line break as the library counts lines: LF, CR not before LF, and YAML 1.1's NEL, LS and PS.</summary>
    private bool IsBreak(int i) => text[i] is '\n' or '\u0085' or '\u2028' or '\u2029' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'));

    public static SourcePosition At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}

/// <summary>
/// Refuses a '? ' key where the library scans it: the parser's events do not tell an explicit key
/// from a plain one, the tokens do (the explicit key token covers its '?').
/// </summary>
internal sealed class ExplicitKeyRefusingScanner(IScanner scanner) : IScanner
{
    public Mark CurrentPosition => scanner.CurrentPosition;

    public YamlDotNet.Core.Tokens.Token? Current => scanner.Current;

    public bool MoveNext() => Check(scanner.MoveNext());

    public bool MoveNextWithoutConsuming() => Check(scanner.MoveNextWithoutConsuming());

    public void ConsumeCurrent() => scanner.ConsumeCurrent();

    private bool Check(bool moved)
    {
        if (moved && scanner.Current is YamlDotNet.Core.Tokens.Key key && key.End.Index != key.Start.Index)
        {
            throw UnreadableYaml.Unsupported(YamlEventRules.At(key.Start), "complex keys ('? ') are not supported; a key is a single value");
        }

        return moved;
    }
}
