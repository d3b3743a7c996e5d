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

internal sealed record Property(string Name, Shape Shape, bool Required = false, string? Default = null);

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
