using System.Globalization;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A Postfix time value: a whole number with a unit (s, m, h, d, w). A policy must name the
/// unit (only 0 may go without): Postfix would apply the parameter's own default unit, days
/// for the queue lifetimes but hours for delay_warning_time, so 3600 would silently mean 3600
/// days. Kept as the admin wrote it, so the generated file shows the same text.
/// </summary>
public sealed record PostfixDuration(string Text, long Seconds)
{
    public const string Expectation = "a whole number with a unit s, m, h, d or w (e.g. 3600s, 1h, 5d, 30m; only 0 goes without)";

    // Postfix stores time values in an int of seconds.
    private const long MaxSeconds = int.MaxValue;

    /// <summary>
    /// Parses a policy's value, or with <paramref name="unitlessAs"/> a value Postfix already
    /// holds (a number alone then has that parameter's default unit).
    /// </summary>
    public static bool TryParse(string text, out PostfixDuration duration, char? unitlessAs = null)
    {
        duration = null!;
        if (text.Length is 0 or > 12)
        {
            return false;
        }

        var unitless = char.IsAsciiDigit(text[^1]);
        if (unitless && unitlessAs is null && text.AsSpan().TrimStart('0').Length > 0)
        {
            return false;
        }

        var unit = unitless ? unitlessAs ?? 's' : text[^1];
        var digits = unitless ? text : text[..^1];
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
