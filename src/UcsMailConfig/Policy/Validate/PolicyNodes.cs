using System.Collections.Immutable;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// How the binders read a tree the shape check has seen: a value that is missing, null, unsafe or
/// does not parse reads as null (the shape check reported it), so no rule judges it a second time.
/// </summary>
internal static class PolicyNodes
{
    public static ImmutableArray<HostPattern>? Hosts(YamlNode? node) =>
        node is null ? null : [.. Items(node).OfType<YamlScalar>().Select(s => HostPattern.TryParse(s.Value, out var h) ? h : null).OfType<HostPattern>()];

    public static ImmutableArray<string> Strings(YamlNode? node)
    {
        if (node is not YamlSequence sequence)
        {
            return [];
        }

        var strings = ImmutableArray.CreateBuilder<string>(sequence.Items.Count);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (sequence.Items[i] is YamlScalar scalar)
            {
                strings.Add(scalar.Value);
            }
        }

        return strings.DrainToImmutable();
    }

    public static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequence sequence ? sequence.Items : [];

    // Unsafe values were reported by the shape check; rules must not judge (and quote) them again.
    public static string? Scalar(YamlMapping? mapping, string key) =>
        mapping?[key] is YamlScalar { IsNull: false } scalar && ValueSafety.IsSafe(scalar.Value) ? scalar.Value : null;

    public static PostfixDuration? Duration(YamlMapping? mapping, string key) =>
        Scalar(mapping, key) is { } text && PostfixDuration.TryParse(text, out var duration) ? duration : null;

    public static T? Choice<T>(YamlMapping? mapping, string key, Spelling<T> spelling)
        where T : struct, Enum => spelling.Parse(Scalar(mapping, key));

    public static bool? Boolean(YamlMapping? mapping, string key) =>
        Scalar(mapping, key) is { } text && ScalarValues.TryBoolean(text, out var value) ? value : null;
}
