using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// The rule that keeps user values from changing the structure of generated files: a value is
/// one line of printable text, never contains UCR's template markers (@%@ would be
/// substituted, @!@ would run Python when UCR commits the template), and is short enough for
/// every output it may land in.
/// </summary>
internal static class ValueSafety
{
    /// <summary>
    /// The longest value: no Postfix parameter, table row or UCR variable of a mail server needs
    /// more, and it keeps every generated line far below Scriban's and UCR's limits.
    /// </summary>
    public const int MaxValueChars = 64 * 1024;

    /// <summary>True when <see cref="Check"/> would accept the value; reports nothing.</summary>
    public static bool IsSafe(string text) => text.Length <= MaxValueChars && IndexOfUnsafe(text) < 0 && !HasTemplateMarker(text);

    /// <summary>@%@ or @!@: one search for '@' instead of two for the markers, since most values have none.</summary>
    private static bool HasTemplateMarker(string text)
    {
        for (var at = text.IndexOf('@'); at >= 0 && at + 2 < text.Length; at = text.IndexOf('@', at + 1))
        {
            if (text[at + 1] is '%' or '!' && text[at + 2] == '@')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Where the first forbidden character or lone surrogate half is, or -1. No table of all
    /// forbidden characters: building it at start-up cost more than the rest of validating a
    /// small policy.
    /// </summary>
    private static int IndexOfUnsafe(string text)
    {
        // Printable ASCII, nearly every character of a policy, is skipped in one vectorised search.
        var start = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (start < 0)
        {
            return -1;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is >= ' ' and <= '~')
            {
                continue;
            }

            if (Text.IsForbidden(text[i]) || Text.IsLoneSurrogate(text, i))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reports and returns false when <paramref name="scalar"/> is unsafe.</summary>
    public static bool Check(YamlScalar scalar, string path, DiagnosticBag diagnostics)
    {
        var text = scalar.Value;
        if (text.Length > MaxValueChars)
        {
            diagnostics.Error(DiagnosticCode.ValueTooLong, scalar.Start,
                $"{Text.Where(path)}: the value has {text.Length} characters; a value may have at most {MaxValueChars} (64 KiB), more than any setting of a mail server needs");
            return false;
        }

        var bad = IndexOfUnsafe(text);
        if (bad >= 0)
        {
            diagnostics.Error(DiagnosticCode.ControlCharacter, scalar.Start,
                $"{Text.Where(path)}: value {Text.Quote(text)} contains the control or invisible character U+{(int)text[bad]:X4}; a value must be one line of visible text (use a plain or quoted single-line value, not a '|' block)");
            return false;
        }

        if (HasTemplateMarker(text))
        {
            diagnostics.Error(DiagnosticCode.TemplateMarker, scalar.Start,
                $"{Text.Where(path)}: value {Text.Quote(text)} contains a UCR template marker (@%@ or @!@), which UCR would substitute or execute; remove it");
            return false;
        }

        return true;
    }
}
