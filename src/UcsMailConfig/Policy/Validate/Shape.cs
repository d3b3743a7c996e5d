using UcsMailConfig.Diagnostics;
namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// What a node of the policy file must look like. One tree of shapes (<see cref="PolicySchema"/>)
/// drives the structural check of every policy and the generated JSON Schema, so the two
/// cannot drift apart.
/// </summary>
internal abstract record Shape(string Description);

/// <summary>A mapping with a fixed set of keys.</summary>
internal sealed record ObjectShape(string Description, IReadOnlyList<Property> Properties) : Shape(Description);

internal sealed record Property(string Name, Shape Shape, bool Required = false, PropertyDefault? Default = null);

/// <summary>
/// A key's default as the schema shows it: <see cref="Text"/> in the description and, when the
/// default is one fixed value, <see cref="Json"/> (text, boolean, integer or list of text) as
/// the JSON Schema <c>default</c> keyword. Made from <see cref="PolicyDefaults"/>, never written here.
/// </summary>
internal sealed record PropertyDefault(string Text, object? Json)
{
    internal static PropertyDefault Of(string text) => new(text, text);

    internal static PropertyDefault Of(bool value) => new(value ? "true" : "false", value);

    internal static PropertyDefault Of(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), value);

    internal static PropertyDefault Of(IEnumerable<string> items)
    {
        string[] list = [.. items];
        return new($"[{string.Join(", ", list)}]", list);
    }

    internal static PropertyDefault Of<T>(Model.Spelling<T> spelling, T value)
        where T : struct, Enum => Of(spelling.Of(value));

    internal static PropertyDefault Of<T>(Model.Spelling<T> spelling, IEnumerable<T> values)
        where T : struct, Enum => Of(values.Select(spelling.Of));

    /// <summary>A default that depends on other values (a path built from names): shown, not a keyword.</summary>
    internal static PropertyDefault Described(string text) => new(text, null);
}

/// <summary>A mapping whose keys are data (domain names, selectors, parameter names).</summary>
internal sealed record MapShape(string Description, ScalarShape Key, Shape Value) : Shape(Description);

/// <summary>A list; <see cref="UniqueItems"/> rejects repeated scalar items.</summary>
internal sealed record ListShape(string Description, Shape Item, bool UniqueItems = true) : Shape(Description);

/// <summary>A single value: text, a boolean, a bounded integer, one of fixed choices, or a formatted value.</summary>
internal sealed record ScalarShape(string Description, ScalarKind Kind) : Shape(Description);

internal abstract record ScalarKind;

internal sealed record TextKind : ScalarKind;

internal sealed record BooleanKind : ScalarKind;

/// <summary>An integer in a range; <see cref="OutOfRange"/> replaces the generic code where a sharper one exists.</summary>
internal sealed record IntegerKind(int Minimum, int Maximum, DiagnosticCode? OutOfRange = null) : ScalarKind;

internal sealed record ChoiceKind(IReadOnlyList<string> Choices) : ScalarKind;

internal sealed record FormattedKind(ValueFormat Format) : ScalarKind;

/// <summary>
/// A value syntax with its own check, error code and a sentence saying what is valid.
/// <see cref="JsonPattern"/> is the closest regular expression for editors; the check is the truth.
/// </summary>
/// <see cref="MayLookNumeric"/> marks formats whose valid values YAML may read as numbers (0, 03122017).
internal sealed record ValueFormat(string Name, DiagnosticCode Code, string Expectation, Func<string, bool> IsValid, string? JsonPattern = null, bool MayLookNumeric = false);
