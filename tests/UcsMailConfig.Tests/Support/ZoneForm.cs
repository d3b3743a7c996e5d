using System.Text;
using System.Text.RegularExpressions;

namespace UcsMailConfig.Tests.Support;

/// <summary>Reads our printed DNS forms back, independently of the code that wrote them.</summary>
public static partial class ZoneForm
{
    /// <summary>Every record line's quoted strings, unescaped (zone form; comment lines skipped).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Strings(string text)
    {
        var records = new List<IReadOnlyList<string>>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains(" IN TXT (", StringComparison.Ordinal) || lines[i].StartsWith(';'))
            {
                continue;
            }

            var record = new StringBuilder(lines[i]);
            while (!record.ToString().TrimEnd().EndsWith(')'))
            {
                record.Append('\n').Append(lines[++i]);
            }

            records.Add([.. Quoted().Matches(record.ToString()).Select(m => Unescape().Replace(m.Groups[1].Value, "$1"))]);
        }

        return records;
    }

    public static IEnumerable<string> JoinedValues(string text) => Strings(text).Select(s => string.Concat(s));

    /// <summary>The values of the plain form's record lines (everything after "NAME TXT ").</summary>
    public static IEnumerable<string> PlainValues(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(';') && PlainLine().IsMatch(l))
            .Select(l => PlainLine().Match(l).Groups[1].Value);

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("\\\\(.)")]
    private static partial Regex Unescape();

    [GeneratedRegex("^[^ ;#]+ TXT (.*)$")]
    private static partial Regex PlainLine();
}
