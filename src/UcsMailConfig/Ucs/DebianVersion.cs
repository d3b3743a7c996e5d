using System.Numerics;

namespace UcsMailConfig.Ucs;

/// <summary>
/// A Debian package version, <c>[EPOCH:]UPSTREAM[-REVISION]</c>, ordered as dpkg orders it
/// (deb-version(7)): epochs numerically; then upstream and revision by alternating runs of
/// non-digits (letters before other characters, '~' before everything, even the end) and
/// digits (numerically). Contract: any text parses; a missing epoch is 0, a missing revision is "".
/// </summary>
internal sealed record DebianVersion(BigInteger Epoch, string Upstream, string Revision) : IComparable<DebianVersion>
{
    public static DebianVersion Parse(string text)
    {
        var trimmed = text.Trim();
        var colon = trimmed.IndexOf(':');
        var epoch = colon > 0 && trimmed[..colon].All(char.IsAsciiDigit) ? BigInteger.Parse(trimmed[..colon], System.Globalization.CultureInfo.InvariantCulture) : BigInteger.Zero;
        var rest = colon > 0 ? trimmed[(colon + 1)..] : trimmed;
        var dash = rest.LastIndexOf('-');
        return dash >= 0 ? new DebianVersion(epoch, rest[..dash], rest[(dash + 1)..]) : new DebianVersion(epoch, rest, "");
    }

    public int CompareTo(DebianVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var epoch = Epoch.CompareTo(other.Epoch);
        if (epoch != 0)
        {
            return epoch;
        }

        var upstream = ComparePart(Upstream, other.Upstream);
        return upstream != 0 ? upstream : ComparePart(Revision, other.Revision);
    }

    public static bool operator <(DebianVersion left, DebianVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(DebianVersion left, DebianVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(DebianVersion left, DebianVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DebianVersion left, DebianVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => (Epoch.IsZero ? "" : $"{Epoch}:") + Upstream + (Revision.Length > 0 ? "-" + Revision : "");

    private static int ComparePart(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            // The non-digit run, character by character; the end of a run weighs 0.
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var left = i < a.Length && !char.IsAsciiDigit(a[i]) ? Weight(a[i]) : 0;
                var right = j < b.Length && !char.IsAsciiDigit(b[j]) ? Weight(b[j]) : 0;
                if (left != right)
                {
                    return left.CompareTo(right);
                }

                if (i < a.Length && !char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                if (j < b.Length && !char.IsAsciiDigit(b[j]))
                {
                    j++;
                }
            }

            var numberA = Digits(a, ref i);
            var numberB = Digits(b, ref j);
            var number = numberA.CompareTo(numberB);
            if (number != 0)
            {
                return number;
            }
        }

        return 0;
    }

    // dpkg's order: '~' sorts before the end of a part, letters before everything else.
    private static int Weight(char c) => c == '~' ? -1 : char.IsAsciiLetter(c) ? c : c + 256;

    private static BigInteger Digits(string text, ref int index)
    {
        var start = index;
        while (index < text.Length && char.IsAsciiDigit(text[index]))
        {
            index++;
        }

        return index > start ? BigInteger.Parse(text.AsSpan(start, index - start), provider: System.Globalization.CultureInfo.InvariantCulture) : BigInteger.Zero;
    }
}
