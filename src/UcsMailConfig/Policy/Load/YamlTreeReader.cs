using System.Buffers;
using System.Globalization;
using System.Text;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Load;

/// <summary>
/// Reads policy text into a <see cref="YamlNode"/> tree. Contract: never throws on bad input;
/// every problem becomes a diagnostic with its line and column. Returns null when no usable
/// tree exists.
///
/// It reads the part of YAML 1.2 a policy needs: block mappings and lists (also a list at
/// its key's indentation and "- key: value" items), flow lists and mappings ([a, b], {k: v})
/// that may span lines, plain, single- and double-quoted one-line values, comments, one
/// document with an optional '---'. Everything else is refused with an error that says
/// what to write instead, never read differently: anchors, aliases, tags other than !!str,
/// complex and empty keys, directives, block scalars (| and >), values continued on the next
/// line, several documents, duplicate keys, tabs in indentation, and what YAML parsers read
/// differently (an unquoted value starting with ':'). A tree this reader returns is the tree
/// YamlDotNet reads from the same text; a property test holds it to that. Written for the
/// purpose because YamlDotNet's parser took most of a large policy's time (issue 6).
/// </summary>
internal sealed class YamlTreeReader
{
    /// <summary>A policy needs about eight levels; the limit keeps hostile input from exhausting the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>YAML's limit for a key written without '?'.</summary>
    private const int MaxKeyLength = 1024;

    /// <summary>From this many keys on, a mapping being read gets an index for its duplicate check.</summary>
    private const int IndexedMappingSize = 16;

    private static readonly SearchValues<char> SingleQuotedStops = SearchValues.Create("'\n\r");

    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\\n\r");

    private const string Hint = "check indentation, quoting and ': ' after each key";

    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>The least indentation of a line inside the [ ] or { } being read: one more than its block's.</summary>
    private int _flowIndent;

    private YamlTreeReader(string text, DiagnosticBag diagnostics)
    {
        _text = text;
        _diagnostics = diagnostics;
    }

    public static YamlNode? Read(string text, DiagnosticBag diagnostics)
    {
        try
        {
            return new YamlTreeReader(text, diagnostics).ReadDocument();
        }
        catch (UnreadableYaml e)
        {
            diagnostics.Error(e.Code, e.At, e.Message);
            return null;
        }
    }

    private YamlNode? ReadDocument()
    {
        SkipToContent();
        if (Current == '%' && Indent == 0)
        {
            throw Unsupported("directives such as '%YAML' are not supported; remove the line");
        }

        if (AtDocumentMarker("---"))
        {
            _pos += 3;
            SkipSpaces();
            if (!AtLineEnd())
            {
                throw Syntax(Here, "put the policy on the lines after '---', not on its line");
            }

            SkipToContent();
        }

        if (AtEnd || AtDocumentMarker("...") || AtDocumentMarker("---"))
        {
            return Empty();
        }

        var root = ReadBlockNode(0);
        SkipToContent();
        if (AtDocumentMarker("..."))
        {
            _pos += 3;
            SkipToContent();
        }

        if (AtDocumentMarker("---"))
        {
            _diagnostics.Error(DiagnosticCode.MultipleDocuments, Here,
                "the policy file holds more than one YAML document ('---'); keep one policy per file");
        }
        else if (!AtEnd)
        {
            throw Syntax(Here, Indent > 0
                ? "this line is indented more than the lines before it allow; a value must fit on one line, and nested keys belong under a key without a value"
                : "unexpected text after the policy; " + Hint);
        }

        return root is YamlScalar { IsNull: true } ? Empty() : root;
    }

    private YamlNode? Empty()
    {
        _diagnostics.Error(DiagnosticCode.EmptyDocument, new SourcePosition(1, 1), "the policy file is empty; it needs at least 'version: 1'");
        return null;
    }

    /// <summary>A node in block context starting at the current character, more indented than its parent.</summary>
    private YamlNode ReadBlockNode(int depth)
    {
        if (AtListItem())
        {
            return ReadBlockSequence(depth);
        }

        var start = Here;
        var startOffset = _pos;
        var indent = Indent;
        var node = ReadFlowNode(depth, inFlow: false);
        SkipSpaces();
        if (AtKeyIndicator())
        {
            return ReadBlockMapping(indent, start, AsKey(node, startOffset), depth);
        }

        ExpectLineEnd();
        return node;
    }

    private YamlMapping ReadBlockMapping(int indent, SourcePosition start, YamlScalar? firstKey, int depth)
    {
        CheckDepth(depth, start);
        var entries = new List<YamlEntry>();
        Dictionary<string, SourcePosition>? index = null;
        var key = firstKey;
        while (true)
        {
            _pos++; // ':'
            var value = ReadValue(indent, depth + 1, mappingValue: true);
            if (key is not null)
            {
                AddEntry(entries, ref index, key, value);
            }

            SkipToContent();
            if (AtEnd || AtDocumentMarker("---") || AtDocumentMarker("...") || Indent < indent)
            {
                break;
            }

            if (Indent > indent)
            {
                throw Syntax(Here, value is YamlScalar { IsPlain: true, Value: var text } && text.Contains(':', StringComparison.Ordinal)
                    ? $"this line is indented more than the key above it, whose value is {Text.Quote(text)}; if that was meant as 'key: value', put a space after ':'"
                    : "this line is indented more than the key above it; a value must fit on one line, and nested keys belong under a key without a value");
            }

            if (AtListItem())
            {
                throw Syntax(Here, "a list item '-' where a key was expected; indent the list under its key");
            }

            var keyStart = Here;
            var keyOffset = _pos;
            var node = ReadFlowNode(depth + 1, inFlow: false);
            SkipSpaces();
            if (!AtKeyIndicator())
            {
                throw Syntax(keyStart, node is YamlScalar { Value: var text } && text.Contains(':', StringComparison.Ordinal)
                    ? $"expected 'key: value' but found {Text.Quote(text)}; put a space after ':'"
                    : "expected 'key: value' at this indentation; " + Hint);
            }

            key = AsKey(node, keyOffset);
        }

        return new YamlMapping(start, entries);
    }

    private YamlSequence ReadBlockSequence(int depth)
    {
        var start = Here;
        var indent = Indent;
        CheckDepth(depth, start);
        var items = new List<YamlNode>();
        while (true)
        {
            _pos++; // '-'
            items.Add(ReadValue(indent, depth + 1, mappingValue: false));
            SkipToContent();
            if (AtEnd || AtDocumentMarker("---") || AtDocumentMarker("...") || Indent < indent)
            {
                break;
            }

            if (Indent > indent)
            {
                throw Syntax(Here, "this line is indented more than the list item above it; a value must fit on one line, and nested keys belong under a key without a value");
            }

            if (!AtListItem())
            {
                break;
            }
        }

        return new YamlSequence(start, items);
    }

    /// <summary>What follows "key:" or "-": a value on the same line, or a block node on the lines below, or nothing.</summary>
    private YamlNode ReadValue(int indent, int depth, bool mappingValue)
    {
        _flowIndent = indent + 1;
        var nothingAt = Here;
        SkipSpaces();
        var start = Here;
        var textTag = ReadProperties(inFlow: false);
        if (AtLineEnd())
        {
            SkipToContent();
            if (AtEnd || AtDocumentMarker("---") || AtDocumentMarker("..."))
            {
                return new YamlScalar(nothingAt, "", IsPlain: !textTag);
            }

            if (Indent > indent)
            {
                return Tagged(ReadBlockNode(depth), textTag, start);
            }

            // YAML lets a mapping's list start at the key's own indentation.
            return mappingValue && Indent == indent && AtListItem()
                ? Tagged(ReadBlockSequence(depth), textTag, start)
                : new YamlScalar(nothingAt, "", IsPlain: !textTag);
        }

        if (Current is '|' or '>')
        {
            throw Unsupported(Here, "block scalars ('|', '>') are not supported; write the value on one line, in quotes if needed");
        }

        if (mappingValue && AtListItem())
        {
            throw Syntax(Here, "a list cannot start on the line of its key; put each '- item' on its own line below the key");
        }

        if (!mappingValue)
        {
            // "- item", "- - item" and "- key: value" (a mapping whose keys line up after the '-').
            return Tagged(ReadBlockNode(depth), textTag, start);
        }

        var node = ReadFlowContent(start, textTag, depth, inFlow: false);
        SkipSpaces();
        if (AtKeyIndicator())
        {
            throw Syntax(Here, "a value may not contain ': '; quote the value, or put nested keys on their own lines below the key");
        }

        ExpectLineEnd();
        return node;
    }

    /// <summary>A scalar, [list] or {mapping} at the current character, with any node properties before it.</summary>
    private YamlNode ReadFlowNode(int depth, bool inFlow)
    {
        var start = Here;
        var textTag = ReadProperties(inFlow);
        if (!inFlow && AtLineEnd())
        {
            throw Unsupported(Here, "put the key on the same line as its anchor or tag");
        }

        return ReadFlowContent(start, textTag, depth, inFlow);
    }

    private YamlNode ReadFlowContent(SourcePosition start, bool textTag, int depth, bool inFlow)
    {
        switch (Current)
        {
            case ',' or ']' or '}' when inFlow && Here != start:
                return new YamlScalar(start, "", IsPlain: !textTag); // "{k: &a}": an anchor or tag on nothing
            case '*':
                var alias = ReadProperty(inFlow);
                _diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, start,
                    $"alias {Text.Quote(alias)} is not supported; write the value out in full");
                return new YamlRejected(start);
            case '[':
                return Tagged(ReadFlowSequence(depth), textTag, start);
            case '{':
                return Tagged(ReadFlowMapping(depth), textTag, start);
            case '"':
                return new YamlScalar(start, ReadDoubleQuoted(), IsPlain: false);
            case '\'':
                return new YamlScalar(start, ReadSingleQuoted(), IsPlain: false);
            default:
                var plain = ReadPlain(inFlow);
                return new YamlScalar(start, plain, IsPlain: !textTag);
        }
    }

    /// <summary>Reads anchors and tags (reporting all but '!!str') and the space after them; true after '!!str'.</summary>
    private bool ReadProperties(bool inFlow)
    {
        var textTag = false;
        while (Current is '&' or '!')
        {
            var propertyStart = Here;
            var property = ReadProperty(inFlow);
            if (property[0] == '&')
            {
                _diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, propertyStart,
                    $"anchor {Text.Quote(property)} is not supported; write each value out in full");
            }
            else if (property == "!!str")
            {
                textTag = true;
            }
            else
            {
                _diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, propertyStart,
                    $"tag {Text.Quote(property)} is not supported; remove it (quote a value to keep it as text)");
            }

            if (inFlow)
            {
                SkipFlowSpace();
            }
            else
            {
                SkipSpaces();
            }
        }

        return textTag;
    }

    /// <summary>'!!str' makes a value text; on a list or mapping it means nothing and is refused.</summary>
    private YamlNode Tagged(YamlNode node, bool textTag, SourcePosition start)
    {
        if (!textTag)
        {
            return node;
        }

        if (node is YamlScalar scalar)
        {
            return scalar with { IsPlain = false, Start = start };
        }

        _diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, start, "tag '!!str' is only allowed on a single value, not on a list or mapping");
        return node;
    }

    private YamlSequence ReadFlowSequence(int depth)
    {
        var start = Here;
        CheckDepth(depth, start);
        _pos++; // '['
        var items = new List<YamlNode>();
        SkipFlowSpace();
        while (Current != ']')
        {
            ExpectMore(start, ']');
            items.Add(ReadFlowNode(depth + 1, inFlow: true));
            SkipFlowSpace();
            if (Current == ':')
            {
                throw Unsupported(Here, "a 'key: value' pair inside [ ] is not supported; write it as a mapping in { }");
            }

            if (!FlowSeparator(start, ']'))
            {
                break;
            }
        }

        _pos++; // ']'
        return new YamlSequence(start, items);
    }

    private YamlMapping ReadFlowMapping(int depth)
    {
        var start = Here;
        CheckDepth(depth, start);
        _pos++; // '{'
        var entries = new List<YamlEntry>();
        Dictionary<string, SourcePosition>? index = null;
        SkipFlowSpace();
        while (Current != '}')
        {
            ExpectMore(start, '}');
            if (AtFlowValueIndicator())
            {
                // YAML reads "{: v}" as a null key; YamlDotNet reads it differently, and no policy needs it.
                throw Unsupported(Here, "a key is missing before ':'; an empty key is not supported");
            }

            // Quoted keys have no length limit in { }.
            var key = AsKey(ReadFlowNode(depth + 1, inFlow: true), _pos);
            SkipFlowSpace();
            YamlNode value;
            if (Current == ':')
            {
                if (key is { IsPlain: true } && Peek(1) is not (' ' or '\t' or '\n' or '\r'))
                {
                    // YAML 1.2 allows {a:{b: c}}; YamlDotNet and other YAML 1.1 parsers need the space.
                    throw Syntax(Here, "put a space after ':'");
                }

                _pos++;
                var nothingAt = Here;
                SkipFlowSpace();
                value = Current is ',' or '}' ? new YamlScalar(nothingAt, "", IsPlain: true) : ReadFlowNode(depth + 1, inFlow: true);
                SkipFlowSpace();
            }
            else
            {
                value = new YamlScalar(Here, "", IsPlain: true);
            }

            if (Current == ':')
            {
                throw Syntax(Here, "a value in { } that ends with ':' must be quoted");
            }

            if (key is not null)
            {
                AddEntry(entries, ref index, key, value);
            }

            if (!FlowSeparator(start, '}'))
            {
                break;
            }
        }

        _pos++; // '}'
        return new YamlMapping(start, entries);
    }

    /// <summary>After a flow entry: true when a ',' leads to a next entry, false at the closing character.</summary>
    private bool FlowSeparator(SourcePosition open, char close)
    {
        if (Current == ',')
        {
            _pos++;
            SkipFlowSpace();
            return true;
        }

        ExpectMore(open, close);
        return Current == close
            ? false
            : throw Syntax(Here, $"expected ',' or '{close}' in the {(close == ']' ? "list" : "mapping")} opened at line {open.Line}, column {open.Column}");
    }

    private void ExpectMore(SourcePosition open, char close)
    {
        if (AtEnd)
        {
            throw Syntax(open, $"'{(close == ']' ? '[' : '{')}' is never closed with '{close}'");
        }
    }

    private string ReadPlain(bool inFlow)
    {
        var start = _pos;
        var first = Current;
        if (AtEnd
            || first is ',' or '[' or ']' or '{' or '}' or '#' or '|' or '>' or '%' or '@' or '`'
            || (first is '-' or '?' or ':' && !IsPlainSafe(Peek(1), inFlow)))
        {
            throw AtEnd
                ? Syntax(Here, "a value is missing at the end of the file; " + Hint)
                : first == '?' ? Unsupported(Here, "complex keys ('? ') are not supported; a key is a single value")
                : first == ':' ? Unsupported(Here, "a key is missing before ':'; an empty key is not supported")
                : Syntax(Here, $"a value cannot start with '{first}'; quote the value");
        }

        if (first == ':')
        {
            // YAML 1.2 reads "::1" and ":{x" as they are; YamlDotNet reads ":1" after a quoted
            // value, "{x" in a list, and a key ":x" not at all. Quotes mean the same everywhere.
            throw Unsupported(Here, "a value that starts with ':' is read differently by different YAML parsers; quote it (e.g. '::1')");
        }

        var end = start;
        var i = start;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is '\n' or '\r'
                || (c == ':' && !IsPlainSafe(i + 1 < _text.Length ? _text[i + 1] : '\0', inFlow))
                || (c == '#' && _text[i - 1] is ' ' or '\t')
                || (inFlow && c is ',' or '[' or ']' or '{' or '}'))
            {
                break;
            }

            i++;
            if (c is not (' ' or '\t'))
            {
                end = i;
            }
        }

        _pos = end;
        return _text.Substring(start, end - start);
    }

    private static bool IsPlainSafe(char next, bool inFlow) =>
        next is not (' ' or '\t' or '\n' or '\r' or '\0') && !(inFlow && next is ',' or '[' or ']' or '{' or '}');

    private string ReadSingleQuoted()
    {
        var open = Here;
        _pos++;
        StringBuilder? built = null;
        var from = _pos;
        while (true)
        {
            var quote = IndexOf(SingleQuotedStops);
            if (quote < 0)
            {
                throw NeverClosed(open);
            }

            if (_text[quote] != '\'')
            {
                _pos = quote;
                throw MultiLineValue(open, '\'');
            }

            if (quote + 1 < _text.Length && _text[quote + 1] == '\'')
            {
                (built ??= new StringBuilder()).Append(_text, from, quote + 1 - from);
                _pos = from = quote + 2;
                continue;
            }

            _pos = quote + 1;
            return built is null ? _text.Substring(from, quote - from) : built.Append(_text, from, quote - from).ToString();
        }
    }

    private string ReadDoubleQuoted()
    {
        var open = Here;
        _pos++;
        StringBuilder? built = null;
        var from = _pos;
        while (true)
        {
            var stop = IndexOf(DoubleQuotedStops);
            if (stop < 0)
            {
                throw NeverClosed(open);
            }

            switch (_text[stop])
            {
                case '"':
                    _pos = stop + 1;
                    return built is null ? _text.Substring(from, stop - from) : built.Append(_text, from, stop - from).ToString();
                case '\\':
                    (built ??= new StringBuilder()).Append(_text, from, stop - from);
                    _pos = stop;
                    AppendEscape(built);
                    from = _pos;
                    break;
                default:
                    _pos = stop;
                    throw MultiLineValue(open, '"');
            }
        }
    }

    private void AppendEscape(StringBuilder built)
    {
        var at = Here;
        var code = Peek(1);
        _pos += 2;
        switch (code)
        {
            case '0': built.Append('\0'); return;
            case 'a': built.Append('\a'); return;
            case 'b': built.Append('\b'); return;
            case 't' or '\t': built.Append('\t'); return;
            case 'n': built.Append('\n'); return;
            case 'v': built.Append('\v'); return;
            case 'f': built.Append('\f'); return;
            case 'r': built.Append('\r'); return;
            case 'e': built.Append('\x1b'); return;
            case ' ' or '"' or '/' or '\\': built.Append(code); return;
            case 'N': built.Append('\u0085'); return;
            case '_': built.Append('\u00a0'); return;
            case 'L': built.Append('\u2028'); return;
            case 'P': built.Append('\u2029'); return;
            case 'x': AppendCodePoint(built, at, 2); return;
            case 'u': AppendCodePoint(built, at, 4); return;
            case 'U': AppendCodePoint(built, at, 8); return;
            case '\n' or '\r':
                _pos -= 1;
                throw MultiLineValue(at, '"');
            default:
                throw Syntax(at, $"unknown escape {Text.Quote("\\" + code)} in a double-quoted value; write '\\\\' for a backslash, or use single quotes");
        }
    }

    private void AppendCodePoint(StringBuilder built, SourcePosition at, int digits)
    {
        if (_pos + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || value > 0x10FFFF)
        {
            throw Syntax(at, $"the escape needs {digits} hexadecimal digits of a Unicode code point");
        }

        _pos += digits;
        if (value <= 0xFFFF)
        {
            built.Append((char)value); // a lone surrogate stays, for the value check to report
        }
        else
        {
            built.Append(char.ConvertFromUtf32(value));
        }
    }

    private string ReadProperty(bool inFlow)
    {
        var start = _pos;
        _pos++;
        while (!AtEnd && Current is not (' ' or '\t' or '\n' or '\r') && !(inFlow && Current is ',' or '[' or ']' or '{' or '}')
            && !(Current == ':' && (inFlow ? AtFlowValueIndicator() : AtKeyIndicator())))
        {
            _pos++;
        }

        return _text.Substring(start, _pos - start);
    }

    private void AddEntry(List<YamlEntry> entries, ref Dictionary<string, SourcePosition>? index, YamlScalar key, YamlNode value)
    {
        if (FirstDefinition(entries, index, key.Value) is { } first)
        {
            _diagnostics.Error(DiagnosticCode.DuplicateKey, key.Start,
                $"duplicate key {Text.Quote(key.Value)} (first defined at line {first.Line}); each key may appear once");
            return;
        }

        entries.Add(new YamlEntry(key, value));
        if (index is not null)
        {
            index.Add(key.Value, key.Start);
        }
        else if (entries.Count == IndexedMappingSize)
        {
            index = entries.ToDictionary(e => e.Key.Value, e => e.Key.Start, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Where <paramref name="key"/> was first defined in a mapping being read. Nearly all mappings
    /// hold a few keys and are scanned; a dictionary per mapping would be most of the tree's
    /// allocations for a policy with thousands of domains. Large mappings such as 'domains' are indexed.
    /// </summary>
    private static SourcePosition? FirstDefinition(List<YamlEntry> entries, Dictionary<string, SourcePosition>? index, string key)
    {
        if (index is not null)
        {
            return index.TryGetValue(key, out var at) ? at : null;
        }

        foreach (var entry in entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Key.Start;
            }
        }

        return null;
    }

    /// <summary>The key a node can be (the current character is what follows it); null (already reported) for an alias.</summary>
    private YamlScalar? AsKey(YamlNode node, int startOffset)
    {
        if (_pos - startOffset > MaxKeyLength)
        {
            throw Syntax(node.Start, $"a key may be at most {MaxKeyLength} characters long (YAML's limit); no policy key is that long");
        }

        return node switch
        {
            YamlScalar scalar => scalar,
            YamlRejected => null,
            _ => throw new UnreadableYaml(DiagnosticCode.WrongType, node.Start, $"a key must be a single value, not {node.KindName}"),
        };
    }

    private void CheckDepth(int depth, SourcePosition at)
    {
        if (depth > MaxDepth)
        {
            throw Unsupported(at, $"the policy nests deeper than {MaxDepth} levels; no valid policy does");
        }
    }

    private int IndexOf(SearchValues<char> stops)
    {
        var found = _text.AsSpan(_pos).IndexOfAny(stops);
        return found < 0 ? -1 : _pos + found;
    }

    private char Current => _pos < _text.Length ? _text[_pos] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private int Indent => _pos - _lineStart;

    private int Column => _pos - _lineStart + 1;

    private SourcePosition Here => new(_line, Column);

    private bool AtListItem() => Current == '-' && Peek(1) is ' ' or '\t' or '\n' or '\r' or '\0';

    private bool AtFlowValueIndicator() => Current == ':' && Peek(1) is ' ' or '\t' or '\n' or '\r' or '\0' or ',' or '[' or ']' or '{' or '}';

    private bool AtKeyIndicator() => Current == ':' && Peek(1) is ' ' or '\t' or '\n' or '\r' or '\0';

    private bool AtDocumentMarker(string marker) =>
        Indent == 0 && string.CompareOrdinal(_text, _pos, marker, 0, 3) == 0 && Peek(3) is ' ' or '\t' or '\n' or '\r' or '\0';

    private void SkipSpaces()
    {
        while (Current is ' ' or '\t')
        {
            _pos++;
        }
    }

    /// <summary>At the end of the line's content: its end, the file's end or a comment (after spaces already skipped).</summary>
    private bool AtLineEnd() => AtEnd || Current is '\n' or '\r'
        || (Current == '#' && (_pos == _lineStart || _text[_pos - 1] is ' ' or '\t'));

    private void ExpectLineEnd()
    {
        SkipSpaces();
        if (!AtLineEnd())
        {
            throw Syntax(Here, Current == '#'
                ? "put a space before '#' to start a comment"
                : "unexpected text after the value; quote a value that contains spaces and special characters, " + Hint);
        }
    }

    /// <summary>Skips spaces, comments and line ends up to the next content, which may be on this line.</summary>
    private void SkipToContent(bool tabsAllowed = false)
    {
        var inIndentation = _pos == _lineStart && !tabsAllowed;
        while (!AtEnd)
        {
            switch (_text[_pos])
            {
                case ' ':
                    _pos++;
                    break;
                case '\t':
                    if (inIndentation)
                    {
                        throw Syntax(Here, "a tab in the indentation; indent with spaces only");
                    }

                    _pos++;
                    break;
                case '#' when _pos == _lineStart || _text[_pos - 1] is ' ' or '\t':
                    while (!AtEnd && Current is not ('\n' or '\r'))
                    {
                        _pos++;
                    }

                    break;
                case '\n' or '\r':
                    NewLine();
                    inIndentation = !tabsAllowed;
                    break;
                default:
                    return;
            }
        }
    }

    /// <summary>Inside [ ] or { }: line ends are spaces, but every line must stay indented more than the block the collection is in.</summary>
    private void SkipFlowSpace()
    {
        var line = _line;
        SkipToContent(tabsAllowed: true);
        if (_line != line && !AtEnd && Indent < _flowIndent && Current is not (']' or '}'))
        {
            throw Syntax(Here, "this line continues a [ ] or { } value and must be indented more than the key or '-' it belongs to");
        }
    }

    private void NewLine()
    {
        _pos += _text[_pos] == '\r' && Peek(1) == '\n' ? 2 : 1;
        _line++;
        _lineStart = _pos;
    }

    /// <summary>A quote still open at a line end: unsupported when it closes further down, a plain mistake when it never does.</summary>
    private UnreadableYaml MultiLineValue(SourcePosition open, char quote) => _text.IndexOf(quote, _pos) < 0
        ? NeverClosed(open)
        : Unsupported(open, "a quoted value continues on the next line; write it on one line");

    private static UnreadableYaml NeverClosed(SourcePosition open) => Syntax(open, "this quote is never closed; close it on the same line");

    private static UnreadableYaml Syntax(SourcePosition at, string message) => new(DiagnosticCode.YamlSyntax, at, message);

    private UnreadableYaml Unsupported(string message) => Unsupported(Here, message);

    private static UnreadableYaml Unsupported(SourcePosition at, string message) => new(DiagnosticCode.UnsupportedYamlFeature, at, message);

    /// <summary>Ends the reading: what follows cannot be read reliably once the structure is lost.</summary>
    private sealed class UnreadableYaml(DiagnosticCode code, SourcePosition at, string message) : Exception(message)
    {
        public DiagnosticCode Code { get; } = code;

        public SourcePosition At { get; } = at;
    }
}
