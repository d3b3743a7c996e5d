using System.Globalization;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Checks a YAML tree against a <see cref="Shape"/>: unknown and missing keys, wrong types,
/// and every single value's syntax. Contract: reports every problem it finds, never stops
/// at the first, and never throws on bad input. Rules that relate values to each other are
/// <see cref="PolicyBinder"/>'s.
/// </summary>
internal sealed class ShapeChecker(DiagnosticBag diagnostics)
{
    // The key path of the node being checked, as parts, made into text only for a message:
    // a path string per node was most of the checker's allocations on 10,000 domains.
    private readonly List<(string? Key, int Index)> _path = [];
    private string _root = "";

    public void Check(YamlNode node, Shape shape, string path)
    {
        _root = path;
        _path.Clear();
        Check(node, shape);
    }

    private void Check(YamlNode node, Shape shape)
    {
        if (node is YamlRejected)
        {
            return;
        }

        switch (shape)
        {
            case ObjectShape obj:
                CheckObject(node, obj);
                break;
            case MapShape map:
                CheckMap(node, map);
                break;
            case ListShape list:
                CheckList(node, list);
                break;
            case ScalarShape scalar:
                CheckScalar(node, scalar);
                break;
        }
    }

    /// <summary>The dotted key path of the node being checked, e.g. domains.example.com.dkim or spf.mechanisms[0].</summary>
    private string Path()
    {
        var path = _root;
        foreach (var (key, index) in _path)
        {
            path = key is null ? $"{path}[{index}]" : Text.Join(path, key);
        }

        return path;
    }

    private void CheckChild(YamlNode node, Shape shape, string? key, int index = 0)
    {
        _path.Add((key, index));
        Check(node, shape);
        _path.RemoveAt(_path.Count - 1);
    }

    private void CheckObject(YamlNode node, ObjectShape shape)
    {
        if (node is not YamlMapping mapping)
        {
            WrongType(node, "a mapping (key: value lines)");
            return;
        }

        // Indexes, not foreach: the entries are an interface, whose enumerator is an allocation per mapping.
        for (var e = 0; e < mapping.Entries.Count; e++)
        {
            var entry = mapping.Entries[e];
            var property = Find(shape, entry.Key.Value);
            if (property is null)
            {
                var names = shape.Properties.Select(p => p.Name).ToList();
                var suggestion = NearestName.Find(entry.Key.Value, names);
                diagnostics.Error(DiagnosticCode.UnknownKey, entry.Key.Start,
                    $"unknown key {Text.Quote(entry.Key.Value)} in {Text.Where(Path())}; {(suggestion is null ? "" : $"did you mean '{suggestion}'? ")}valid keys here: {string.Join(", ", names)}");
                continue;
            }

            CheckChild(entry.Value, property.Shape, property.Name);
        }

        for (var i = 0; i < shape.Properties.Count; i++)
        {
            var property = shape.Properties[i];
            if (property.Required && mapping.Find(property.Name) is null)
            {
                diagnostics.Error(DiagnosticCode.MissingKey, mapping.Start,
                    $"{Text.Where(Path())} needs the key '{property.Name}': {property.Shape.Description}");
            }
        }
    }

    // Loops rather than LINQ here and above: this runs for every mapping of the policy,
    // and a closure per entry is most of the checker's allocations on 10,000 domains.
    private static Property? Find(ObjectShape shape, string name)
    {
        for (var i = 0; i < shape.Properties.Count; i++)
        {
            if (shape.Properties[i].Name == name)
            {
                return shape.Properties[i];
            }
        }

        return null;
    }

    private void CheckMap(YamlNode node, MapShape shape)
    {
        if (node is not YamlMapping mapping)
        {
            WrongType(node, "a mapping (key: value lines)");
            return;
        }

        for (var e = 0; e < mapping.Entries.Count; e++)
        {
            var entry = mapping.Entries[e];
            CheckScalar(entry.Key, shape.Key);
            CheckChild(entry.Value, shape.Value, entry.Key.Value);
        }
    }

    private void CheckList(YamlNode node, ListShape shape)
    {
        if (node is not YamlSequence sequence)
        {
            WrongType(node, "a list ('- item' lines or [a, b])");
            return;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            CheckChild(sequence.Items[i], shape.Item, null, i);
        }

        if (shape.UniqueItems && sequence.Items.Count > 1)
        {
            CheckUnique(sequence);
        }
    }

    private void CheckUnique(YamlSequence sequence)
    {
        var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        foreach (var item in sequence.Items)
        {
            if (item is not YamlScalar scalar)
            {
                continue;
            }

            if (seen.TryGetValue(scalar.Value, out var first))
            {
                diagnostics.Error(DiagnosticCode.DuplicateItem, scalar.Start,
                    $"{Text.Quote(scalar.Value)} is listed twice in {Text.Where(Path())} (first at line {first.Line}); list each item once");
            }
            else
            {
                seen.Add(scalar.Value, scalar.Start);
            }
        }
    }

    private void CheckScalar(YamlNode node, ScalarShape shape)
    {
        if (node is YamlRejected)
        {
            return;
        }

        if (node is not YamlScalar scalar || scalar.IsNull)
        {
            WrongType(node, Expectation(shape.Kind));
            return;
        }

        if (!ValueSafety.IsSafe(scalar.Value))
        {
            ValueSafety.Check(scalar, Path(), diagnostics);
            return;
        }

        var text = scalar.Value;
        switch (shape.Kind)
        {
            case BooleanKind when !ScalarValues.TryBoolean(text, out _):
                diagnostics.Error(DiagnosticCode.InvalidBoolean, scalar.Start,
                    $"{Text.Where(Path())} must be true or false, not {Text.Quote(text)}");
                break;
            case IntegerKind range when !ScalarValues.TryInteger(text, out var number) || number < range.Minimum || number > range.Maximum:
                diagnostics.Error(range.OutOfRange ?? DiagnosticCode.InvalidInteger, scalar.Start,
                    $"{Text.Where(Path())} must be {Expectation(range)}, not {Text.Quote(text)}");
                break;
            case ChoiceKind choice when !choice.Choices.Contains(text):
                var suggestion = NearestName.Find(text, choice.Choices);
                diagnostics.Error(DiagnosticCode.InvalidChoice, scalar.Start,
                    $"{Text.Where(Path())} must be one of {string.Join(", ", choice.Choices)}, not {Text.Quote(text)}{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}");
                break;
            case FormattedKind formatted when !formatted.Format.IsValid(text):
                diagnostics.Error(formatted.Format.Code, scalar.Start,
                    $"{Text.Where(Path())}: {Text.Quote(text)} is not valid; expected {formatted.Format.Expectation}");
                break;
        }
    }

    private void WrongType(YamlNode node, string expected) =>
        diagnostics.Error(DiagnosticCode.WrongType, node.Start, $"{Text.Where(Path())} must be {expected}, not {node.KindName}");

    private static string Expectation(ScalarKind kind) => kind switch
    {
        BooleanKind => "true or false",
        IntegerKind { Minimum: var min, Maximum: var max } when min == max => min.ToString(CultureInfo.InvariantCulture),
        IntegerKind range => $"a whole number from {range.Minimum} to {range.Maximum}",
        ChoiceKind choice => $"one of {string.Join(", ", choice.Choices)}",
        FormattedKind formatted => formatted.Format.Expectation,
        _ => "a single value",
    };
}
