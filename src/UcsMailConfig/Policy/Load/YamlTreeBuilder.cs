using UcsMailConfig.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UcsMailConfig.Policy.Load;

/// <summary>
/// Reads policy text into a <see cref="YamlNode"/> tree with YamlDotNet's event parser and our
/// subset rules (<see cref="YamlEventRules"/>) on top. Contract: never throws on bad input; every
/// problem becomes a diagnostic with its line and column (the library's marks, 1-based as ours);
/// returns null when no usable tree exists. One document; duplicate keys are reported and the
/// first definition kept; nesting deeper than <see cref="MaxDepth"/> ends the reading. The tree
/// is the library's reading of the text: no type resolution, scalars keep their text.
/// </summary>
internal sealed class YamlTreeBuilder
{
    /// <summary>A policy needs about eight levels; the limit keeps hostile input from exhausting the stack.</summary>
    public const int MaxDepth = 32;

    private readonly IScanner _scanner;
    private readonly IParser _parser;
    private readonly YamlEventRules _rules;
    private readonly DiagnosticBag _diagnostics;

    /// <summary>The innermost open [ ] or { }, for the messages of a syntax error inside it.</summary>
    private YamlFlowCollection? _flow;

    private YamlTreeBuilder(string text, DiagnosticBag diagnostics)
    {
        _scanner = new ExplicitKeyRefusingScanner(new Scanner(new StringReader(text)));
        _parser = new Parser(_scanner);
        _rules = new YamlEventRules(text, diagnostics);
        _diagnostics = diagnostics;
    }

    public static YamlNode? Read(string text, DiagnosticBag diagnostics)
    {
        var builder = new YamlTreeBuilder(text, diagnostics);
        try
        {
            builder._rules.CheckText();
            return builder.ReadStream();
        }
        catch (UnreadableYaml e)
        {
            diagnostics.Error(e.Code, e.At, e.Message);
        }
        catch (YamlException e)
        {
            var (code, at, message) = new YamlSyntaxErrors(text, builder._rules).Describe(e, builder._flow);
            diagnostics.Error(code, at, message);
        }
        catch (InvalidOperationException)
        {
            // The library's parser loses its state on some broken flow collections ({a b: c}).
            diagnostics.Error(DiagnosticCode.YamlSyntax, YamlEventRules.At(builder._scanner.CurrentPosition),
                "unexpected text here; check indentation, quoting and ': ' after each key");
        }

        return null;
    }

    private YamlNode? ReadStream()
    {
        Next(); // StreamStart
        if (Next() is StreamEnd)
        {
            return Empty();
        }

        var root = ReadNode(Next(), new YamlParent(YamlParentKind.Document, null), 0);
        var end = Next(); // DocumentEnd
        if (Next() is DocumentStart second)
        {
            // Without '---' the second document starts after a '...' line, which ends the first.
            _diagnostics.Error(DiagnosticCode.MultipleDocuments, YamlEventRules.At(second.IsImplicit ? end.Start : second.Start), second.IsImplicit
                ? "the policy file holds more than one YAML document: '...' ends the first, and more text follows; remove the '...' line (keep one policy per file)"
                : "the policy file holds more than one YAML document ('---'); keep one policy per file");
        }

        return root is YamlScalar { IsNull: true } ? Empty() : root;
    }

    private YamlNode? Empty()
    {
        _diagnostics.Error(DiagnosticCode.EmptyDocument, new SourcePosition(1, 1), "the policy file is empty; it needs at least 'version: 1'");
        return null;
    }

    /// <summary>The node that <paramref name="first"/> starts; <paramref name="depth"/> is the number of collections around it.</summary>
    private YamlNode ReadNode(ParsingEvent first, YamlParent parent, int depth)
    {
        switch (first)
        {
            case Scalar scalar:
                var textTag = _rules.CheckProperties(scalar);
                _rules.CheckScalar(scalar, parent);
                return new YamlScalar(YamlEventRules.At(scalar.Start), scalar.Value, IsPlain: scalar.Style == ScalarStyle.Plain && !textTag);
            case AnchorAlias alias:
                return _rules.Alias(alias);
            case SequenceStart sequence:
                return ReadSequence(sequence, parent, depth);
            case MappingStart mapping:
                return ReadMapping(mapping, parent, depth);
            default:
                throw UnreadableYaml.Syntax(YamlEventRules.At(first.Start), "unexpected text here; check indentation, quoting and ': ' after each key");
        }
    }

    private YamlSequence ReadSequence(SequenceStart sequence, YamlParent parent, int depth)
    {
        var start = Open(sequence, depth);
        var outerFlow = _flow;
        var inner = new YamlParent(YamlParentKind.Sequence, sequence.Style == SequenceStyle.Flow ? _flow = new YamlFlowCollection(start, IsSequence: true) : parent.Flow);
        var items = new List<YamlNode>();
        for (var item = Next(); item is not SequenceEnd; item = Next())
        {
            items.Add(ReadNode(item, inner, depth + 1));
        }

        _flow = outerFlow;
        return new YamlSequence(start, items);
    }

    private YamlMapping ReadMapping(MappingStart mapping, YamlParent parent, int depth)
    {
        var start = Open(mapping, depth);
        var outerFlow = _flow;
        var inner = new YamlParent(YamlParentKind.Mapping, mapping.Style == MappingStyle.Flow ? _flow = new YamlFlowCollection(start, IsSequence: false) : parent.Flow);
        var entries = new List<YamlEntry>();
        var index = new YamlKeyIndex();
        for (var next = Next(); next is not MappingEnd; next = Next())
        {
            var keyNode = ReadNode(next, inner, depth + 1);
            var valueEvent = Next();
            var key = _rules.CheckKey(keyNode, valueEvent);
            var value = ReadNode(valueEvent, inner, depth + 1);
            if (key is not null && index.Add(entries, new YamlEntry(key, value)) is { } first)
            {
                _diagnostics.Error(DiagnosticCode.DuplicateKey, key.Start,
                    $"duplicate key {Text.Quote(key.Value)} (first defined at line {first.Line}); each key may appear once");
            }
        }

        _flow = outerFlow;
        return new YamlMapping(start, entries);
    }

    private SourcePosition Open(NodeEvent collection, int depth)
    {
        var start = YamlEventRules.At(collection.Start);
        if (depth > MaxDepth)
        {
            throw UnreadableYaml.Unsupported(start, $"the policy nests deeper than {MaxDepth} levels; no valid policy does");
        }

        _rules.CheckProperties(collection);
        return start;
    }

    private ParsingEvent Next() =>
        _parser.MoveNext() ? _parser.Current! : throw UnreadableYaml.Syntax(new SourcePosition(1, 1), "the policy ends unexpectedly");
}
