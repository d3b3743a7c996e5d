using System.Globalization;
using UcsMailConfig.Diagnostics;
using YamlDotNet.Core;

namespace UcsMailConfig.Policy.Load;

/// <summary>
/// Turns a syntax error YamlDotNet reports into our diagnostic: at the library's mark, or where the
/// mistake is when the library stops later (an escape inside a quoted value, the continued line of
/// a value, the '[' never closed), with a message that says what to write instead. The library's
/// own wording is never printed: it names tokens and states of its grammar, not the policy.
/// </summary>
internal sealed class YamlSyntaxErrors(string text, YamlEventRules rules)
{
    private const string Hint = "check indentation, quoting and ': ' after each key";

    public (DiagnosticCode Code, SourcePosition At, string Message) Describe(YamlException error, YamlFlowCollection? flow)
    {
        var mark = error.Start.Index < error.End.Index || error.Start.Line > 0 ? error.Start : error.End;
        var index = (int)Math.Min(mark.Index, text.Length);
        var at = YamlEventRules.At(mark);
        var what = error.Message;
        var current = index < text.Length ? text[index] : '\0';
        var lineStart = LineStart(index);
        var indentEnd = SkipSpaces(lineStart);

        if (Contains(what, "quoted scalar"))
        {
            return QuotedScalar(mark, index, what);
        }

        if ((Contains(what, "tab") || text.AsSpan(lineStart, indentEnd - lineStart).Contains('\t')) && IndentationTab(lineStart) is { } tab)
        {
            return Syntax(rules.PositionOf(tab), "a tab in the indentation; indent with spaces only");
        }

        if (Contains(what, "block sequence entries are not allowed"))
        {
            return Syntax(at, "a list cannot start on the line of its key; put each '- item' on its own line below the key");
        }

        if (Contains(what, "mapping values are not allowed") || Contains(what, "invalid mapping"))
        {
            // "key: a: b" on one line, or a value continued from the line above that holds ': '.
            var before = text.AsSpan(indentEnd, Math.Max(0, index - indentEnd));
            if (before.Contains(": ", StringComparison.Ordinal) || before.Contains(":\t", StringComparison.Ordinal))
            {
                return Syntax(at, "a value may not contain ': '; quote the value, or put nested keys on their own lines below the key");
            }

            if (flow is null)
            {
                return Syntax(at with { Column = indentEnd - lineStart + 1 }, YamlEventRules.IndentedMore(YamlParentKind.Mapping, rules.ValueBefore(lineStart)));
            }
        }

        if (flow is not null && (Contains(what, "flow sequence") || Contains(what, "flow mapping") || Contains(what, "flow collection") || AtEnd(index)))
        {
            var (open, close) = flow.IsSequence ? ('[', ']') : ('{', '}');
            return AtEnd(index)
                ? Syntax(flow.Start, $"'{open}' is never closed with '{close}'")
                : Syntax(at, $"expected ',' or '{close}' in the {(flow.IsSequence ? "list" : "mapping")} opened at line {flow.Start.Line}, column {flow.Start.Column}");
        }

        if (Contains(what, "simple key") && LineLength(lineStart) > 1024)
        {
            return Syntax(at, "a key may be at most 1024 characters long (YAML's limit); no policy key is that long");
        }

        if (current == '!' || Contains(what, "tag"))
        {
            var end = index;
            while (end < text.Length && text[end] is not (' ' or '\t' or '\n' or '\r'))
            {
                end++;
            }

            return (DiagnosticCode.UnsupportedYamlFeature, at, $"tag {Text.Quote(text[index..end])} is not supported; remove it (quote a value to keep it as text)");
        }

        if (Contains(what, "cannot start any token") && current is '@' or '`' or '%' or '|' or '>' or ',' or ']' or '}')
        {
            return Syntax(at, $"a value cannot start with '{current}'; quote the value");
        }

        if (index > indentEnd)
        {
            return Syntax(at, current == '#'
                ? "put a space before '#' to start a comment"
                : "unexpected text after the value; quote a value that contains spaces and special characters, " + Hint);
        }

        if (current == '-' && index + 1 < text.Length && text[index + 1] is ' ' or '\t' or '\n' or '\r')
        {
            return Syntax(at, "a list item '-' where a key was expected; indent the list under its key");
        }

        if (AtEnd(index))
        {
            return Syntax(at, "a value is missing at the end of the file; " + Hint);
        }

        return Syntax(at, Contains(what, "sequence") ? YamlEventRules.IndentedMore(YamlParentKind.Sequence, null)
            : Contains(what, "document") ? (indentEnd > lineStart ? YamlEventRules.IndentedMore(YamlParentKind.Document, null) : "unexpected text after the policy; " + Hint)
            : indentEnd > lineStart ? YamlEventRules.IndentedMore(YamlParentKind.Mapping, null)
            : "expected 'key: value' at this indentation; " + Hint);
    }

    /// <summary>A quote never closed, or a bad escape: the library reports the quote, the escape is where the mistake is.</summary>
    private (DiagnosticCode, SourcePosition, string) QuotedScalar(Mark mark, int index, string what)
    {
        if (index < text.Length && text[index] == '"' && BadEscape(index) is { } escape)
        {
            return Syntax(rules.PositionFrom(mark, escape.At), escape.Message);
        }

        return Syntax(YamlEventRules.At(mark), Contains(what, "end of stream") || Contains(what, "document indicator")
            ? "this quote is never closed; close it on the same line"
            : "a quoted value is not valid here; " + Hint);
    }

    /// <summary>The first escape in the double-quoted value opened at <paramref name="quote"/> that YAML does not know.</summary>
    private (int At, string Message)? BadEscape(int quote)
    {
        for (var i = quote + 1; i < text.Length && text[i] != '"'; i++)
        {
            if (text[i] != '\\')
            {
                continue;
            }

            var code = i + 1 < text.Length ? text[i + 1] : '\0';
            var digits = code switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (digits > 0)
            {
                if (i + 2 + digits > text.Length
                    || !int.TryParse(text.AsSpan(i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                    || value > 0x10FFFF)
                {
                    return (i, $"the escape needs {digits} hexadecimal digits of a Unicode code point");
                }
            }
            else if (code is not ('0' or 'a' or 'b' or 't' or '\t' or 'n' or 'v' or 'f' or 'r' or 'e' or ' ' or '"' or '/' or '\\' or 'N' or '_' or 'L' or 'P' or '\n' or '\r'))
            {
                return (i, $"unknown escape {Text.Quote("\\" + code)} in a double-quoted value; write '\\\\' for a backslash, or use single quotes");
            }

            i += 1 + digits;
        }

        return null;
    }

    private static (DiagnosticCode, SourcePosition, string) Syntax(SourcePosition at, string message) => (DiagnosticCode.YamlSyntax, at, message);

    private static bool Contains(string message, string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>Nothing but spaces, line ends and comments from <paramref name="index"/> on.</summary>
    private bool AtEnd(int index)
    {
        for (var i = index; i < text.Length; i++)
        {
            if (text[i] == '#')
            {
                while (i < text.Length && text[i] is not ('\n' or '\r'))
                {
                    i++;
                }
            }
            else if (text[i] is not (' ' or '\t' or '\n' or '\r'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first tab in the indentation of a line from <paramref name="lineStart"/> on (the library marks some tab errors at the file's start).</summary>
    private int? IndentationTab(int lineStart)
    {
        for (var i = lineStart; i < text.Length; i++)
        {
            if (text[i] == '\t')
            {
                return i;
            }

            if (text[i] != ' ')
            {
                var end = text.IndexOfAny(['\n', '\r'], i);
                if (end < 0)
                {
                    return null;
                }

                i = end;
            }
        }

        return null;
    }

    private int LineStart(int index) => index == 0 ? 0 : text.LastIndexOfAny(['\n', '\r'], Math.Min(index, text.Length) - 1) + 1;

    private int SkipSpaces(int from)
    {
        while (from < text.Length && text[from] is ' ' or '\t')
        {
            from++;
        }

        return from;
    }

    private int LineLength(int lineStart)
    {
        var end = text.IndexOfAny(['\n', '\r'], lineStart);
        return (end < 0 ? text.Length : end) - lineStart;
    }
}
