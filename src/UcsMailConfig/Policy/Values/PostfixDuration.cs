using System.Globalization;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A Postfix time value: a whole number with an optional unit (s, m, h, d, w). Without a unit
/// Postfix applies the parameter's default unit, which for the queue lifetimes is days.
/// Kept as the admin wrote it, so the generated file shows the same text.
/// </summary>
public sealed record PostfixDuration(string Text, long Seconds)
{
    public const string Expectation = "a whole number with an optional unit s, m, h, d or w (e.g. 1h, 5d, 30m, 0)";

    // Postfix stores time values in an int of seconds.
    private const long MaxSeconds = int.MaxValue;

    public static bool TryParse(string text, out PostfixDuration duration)
    {
        duration = null!;
        if (text.Length is 0 or > 12)
        {
            return false;
        }

        var unit = char.IsAsciiDigit(text[^1]) ? 'd' : text[^1];
        var digits = char.IsAsciiDigit(text[^1]) ? text : text[..^1];
        long scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
        if (scale == 0 || digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxSeconds / scale)
        {
            return false;
        }

        duration = new PostfixDuration(text, amount * scale);
        return true;
    }

    public override string ToString() => Text;
}
