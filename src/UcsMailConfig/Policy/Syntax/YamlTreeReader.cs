using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace UcsMailConfig.Policy.Syntax;

/// <summary>
/// Reads policy text into a <see cref="YamlNode"/> tree. Contract: never throws on bad input;
/// every problem becomes a diagnostic. Rejects what a policy never needs and what makes
/// values surprising: duplicate keys, anchors and aliases, tags, complex keys, several
/// documents. Returns null when no usable tree exists.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>A policy needs about eight levels; the limit keeps hostile input from exhausting the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>From this many keys on, a mapping being read gets an index for its duplicate check.</summary>
    private const int IndexedMappingSize = 16;

    public static YamlNode? Read(string text, DiagnosticBag diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out var end))
            {
                diagnostics.Error(DiagnosticCode.EmptyDocument, new SourcePosition(1, 1),
                    "the policy file is empty; it needs at least 'version: 1'");
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, diagnostics, depth: 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                diagnostics.Error(DiagnosticCode.MultipleDocuments, At(second.Start),
                    "the policy file holds more than one YAML document ('---'); keep one policy per file");
            }

            if (root is YamlScalar { IsNull: true })
            {
                diagnostics.Error(DiagnosticCode.EmptyDocument, new SourcePosition(1, 1),
                    "the policy file is empty; it needs at least 'version: 1'");
                return null;
            }

            return root;
        }
        catch (YamlException e)
        {
            diagnostics.Error(DiagnosticCode.YamlSyntax, At(e.Start), $"{Describe(e.Message)}; check indentation, quoting and ':' after each key");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed input this way, without a position of its own.
            diagnostics.Error(DiagnosticCode.YamlSyntax, parser.Current is { } near ? At(near.Start) : new SourcePosition(1, 1),
                $"{Describe(e.Message)}; check indentation, quoting and ':' after each key");
            return null;
        }
    }

    private static YamlNode ReadNode(IParser parser, DiagnosticBag diagnostics, int depth)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        if (current is AnchorAlias alias)
        {
            parser.MoveNext();
            diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(alias.Start),
                $"alias {Text.Quote("*" + alias.Value)} is not supported; write the value out in full");
            return new YamlRejected(At(alias.Start));
        }

        if (depth > MaxDepth && current is SequenceStart or MappingStart)
        {
            diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(current.Start),
                $"the policy nests deeper than {MaxDepth} levels; no valid policy does");
            parser.SkipThisAndNestedEvents();
            return new YamlRejected(At(current.Start));
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(node.Start),
                    $"anchor {Text.Quote("&" + node.Anchor.Value)} is not supported; write each value out in full");
            }

            if (!node.Tag.IsEmpty && !(node is Scalar && node.Tag.Value == "tag:yaml.org,2002:str"))
            {
                diagnostics.Error(DiagnosticCode.UnsupportedYamlFeature, At(node.Start),
                    $"tag {Text.Quote(node.Tag.Value)} is not supported; remove it (quote a value to keep it as text)");
            }
        }

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new YamlScalar(At(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty);
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, diagnostics, depth + 1));
                }

                return new YamlSequence(At(sequenceStart.Start), items);
            }
            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var entries = new List<YamlEntry>();
                Dictionary<string, SourcePosition>? seen = null;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, diagnostics, depth + 1);
                    var value = ReadNode(parser, diagnostics, depth + 1);
                    if (keyNode is YamlRejected)
                    {
                        continue;
                    }

                    if (keyNode is not YamlScalar key)
                    {
                        diagnostics.Error(DiagnosticCode.WrongType, keyNode.Start,
                            $"a key must be a single value, not {keyNode.KindName}");
                        continue;
                    }

                    if (FirstDefinition(entries, seen, key.Value) is { } first)
                    {
                        diagnostics.Error(DiagnosticCode.DuplicateKey, key.Start,
                            $"duplicate key {Text.Quote(key.Value)} (first defined at line {first.Line}); each key may appear once");
                        continue;
                    }

                    entries.Add(new YamlEntry(key, value));
                    if (seen is not null)
                    {
                        seen.Add(key.Value, key.Start);
                    }
                    else if (entries.Count == IndexedMappingSize)
                    {
                        seen = entries.ToDictionary(e => e.Key.Value, e => e.Key.Start, StringComparer.Ordinal);
                    }
                }

                return new YamlMapping(At(mappingStart.Start), entries);
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
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

    private static string Describe(string message)
    {
        // YamlDotNet prefixes its messages with the position, which we print ourselves.
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && close > 0)
        {
            message = message[(close + 3)..];
        }

        return Text.Escape(message.TrimEnd('.'));
    }

    private static SourcePosition At(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
}
