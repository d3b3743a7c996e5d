using System.Globalization;
using System.Text;

namespace UcsMailConfig.Diagnostics;

/// <summary>
/// Puts user values into messages safely: quoted, with control characters escaped and
/// long values cut, so that a message is always one line and cannot move a terminal's cursor.
/// </summary>
internal static class Text
{
    public static string Quote(string value) => $"'{Escape(value.Length > 80 ? Cut(value, 77) + "..." : value)}'";

    // Never between the two halves of a character outside the BMP (an emoji, say).
    private static string Cut(string value, int length) => value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];

    /// <summary>The value with every forbidden character written as an escape, e.g. \n or \u001B.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsForbidden(c) || IsLoneSurrogate(value, i))
            {
                builder.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                });
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A dotted key path for messages; escaped and cut, because map keys are user values.</summary>
    public static string Where(string path) => path.Length == 0 ? "the top level" : Escape(path.Length > 200 ? Cut(path, 197) + "..." : path);

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>
    /// Control characters, line and paragraph separators, and invisible format characters
    /// (bidi overrides, zero-width spaces, BOM) that would make a value read differently
    /// from what it is.
    /// </summary>
    public static bool IsForbidden(char c) =>
        c < ' ' || c is '\u007F' or '\u2028' or '\u2029' || (c >= '\u0080' && c <= '\u009F')
        || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    /// <summary>Half of a surrogate pair without its other half: not a character at all.</summary>
    public static bool IsLoneSurrogate(string text, int index) =>
        char.IsHighSurrogate(text[index]) ? index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1])
        : char.IsLowSurrogate(text[index]) && (index == 0 || !char.IsHighSurrogate(text[index - 1]));
}
