namespace UcsMailConfig.Ucs;

/// <summary>One external program run: what ran, how it ended, what it said, how long it took.</summary>
public sealed record CommandRecord(string Program, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The command as a person would type it, for messages and logs.</summary>
    public string CommandLine => string.Join(' ', new[] { Program }.Concat(Arguments).Select(Quote));

    /// <summary>What the program printed, for an error message.</summary>
    public string Output => string.Join('\n', new[] { StandardError.Trim(), StandardOutput.Trim() }.Where(s => s.Length > 0));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '=' or ':' or '@' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
