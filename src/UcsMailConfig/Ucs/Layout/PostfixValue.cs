using System.Collections.Immutable;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// A value the policy gives a Postfix parameter, typed by what the parameter holds.
/// <see cref="Text"/> is the one spelling that goes to <c>ucr set</c> and into main.cf (as the
/// admin wrote it, so generated files show the same text); <see cref="IsMetBy"/> compares with
/// what Postfix reports (<c>postconf -h</c>) the way Postfix reads it, so a normalised spelling
/// of the same value counts as the same.
/// </summary>
public abstract record PostfixValue(string Text)
{
    /// <summary>True when <paramref name="effective"/>, as Postfix reports it, means this value.</summary>
    public abstract bool IsMetBy(string effective);

    public override string ToString() => Text;
}

/// <summary>A time value; a number alone means <see cref="UnitlessAs"/>, the parameter's own default unit.</summary>
public sealed record DurationValue(PostfixDuration Duration, char UnitlessAs) : PostfixValue(Duration.Text)
{
    public long Seconds => Duration.Seconds;

    public override bool IsMetBy(string effective) =>
        PostfixDuration.TryParse(effective.Trim(), out var other, UnitlessAs) && other.Seconds == Seconds;
}

/// <summary>A list: Postfix separates items by commas and white space alike.</summary>
internal sealed record ListValue(string Text) : PostfixValue(Text)
{
    public ImmutableArray<string> Items => Split(Text);

    public override bool IsMetBy(string effective) => Items.SequenceEqual(Split(effective), StringComparer.Ordinal);

    private static ImmutableArray<string> Split(string text) =>
        [.. text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];
}

/// <summary>Any other value: Postfix folds white space, so only the words count.</summary>
internal sealed record TextValue(string Text) : PostfixValue(Text)
{
    public override bool IsMetBy(string effective) => Words(Text).SequenceEqual(Words(effective), StringComparer.Ordinal);

    private static string[] Words(string text) => text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Our entries of a list others write into too (70_milter's milter lists): met when the
/// effective list holds them in this order, whatever else it holds.
/// </summary>
internal sealed record MilterEntries(string Text) : PostfixValue(Text)
{
    public override bool IsMetBy(string effective)
    {
        var ours = new ListValue(Text).Items;
        var next = 0;
        foreach (var item in new ListValue(effective).Items)
        {
            next += next < ours.Length && item == ours[next] ? 1 : 0;
        }

        return next == ours.Length;
    }
}
