using System.Collections.Immutable;
using System.Text;

namespace UcsMailConfig.Dns;

/// <summary>
/// A TXT record's text as DNS stores it: a sequence of character strings of at most 255 bytes
/// each, which receivers join without anything in between (RFC 7208 3.3, RFC 6376 3.6.2.2).
/// Contract: joining <see cref="Split"/>'s strings gives back the input exactly; no string is
/// longer than <see cref="MaxBytes"/> bytes of UTF-8, and none splits a character.
/// </summary>
internal static class TxtStrings
{
    public const int MaxBytes = 255;

    public static ImmutableArray<string> Split(string value)
    {
        // Most records (SPF, DMARC) fit one string; no UTF-16 character takes more than 3 bytes.
        if (value.Length <= MaxBytes / 3 || Encoding.UTF8.GetByteCount(value) <= MaxBytes)
        {
            return [value];
        }

        var strings = ImmutableArray.CreateBuilder<string>();
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < value.Length; i += char.IsSurrogatePair(value, i) ? 2 : 1)
        {
            var width = Encoding.UTF8.GetByteCount(value.AsSpan(i, char.IsSurrogatePair(value, i) ? 2 : 1));
            if (bytes + width > MaxBytes)
            {
                strings.Add(value[start..i]);
                start = i;
                bytes = 0;
            }

            bytes += width;
        }

        strings.Add(value[start..]);
        return strings.ToImmutable();
    }

    /// <summary>One string in zone-file syntax: in double quotes, with '"' and '\' escaped.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
