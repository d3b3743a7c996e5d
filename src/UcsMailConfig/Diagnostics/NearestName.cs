namespace UcsMailConfig.Diagnostics;

/// <summary>
/// The closest of a set of names to what someone typed, within two edits: the "did you mean"
/// of an unknown policy key or choice and of an unknown command.
/// </summary>
public static class NearestName
{
    /// <summary>The closest name within two edits (fewer for short names), or null.</summary>
    public static string? Find(string typed, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: EditDistance(typed.ToLowerInvariant(), n)))
            .Where(c => c.Distance <= Math.Min(2, c.Name.Length / 3 + 1))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
