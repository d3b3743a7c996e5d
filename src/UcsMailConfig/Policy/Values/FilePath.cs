namespace UcsMailConfig.Policy.Values;

/// <summary>
/// Absolute paths that are safe to write into generated files: OpenDKIM's tables split on
/// white space and ':', so neither may occur, nor '..' segments that leave the intended folder.
/// </summary>
public static class FilePath
{
    public const string Expectation = "an absolute path without spaces, ':' or '..' segments, e.g. /etc/opendkim/keys/example.com/20261128.private";

    private static readonly System.Buffers.SearchValues<char> SafeAscii = System.Buffers.SearchValues.Create(
        "!$%&()*+-./0123456789;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // Loops over spans, not LINQ and string.Split: every DKIM key path of a policy passes here.
    public static bool IsSafeAbsolute(string path)
    {
        if (path.Length is <= 1 or > 4096 || path[0] != '/' || path.EndsWith('/'))
        {
            return false;
        }

        // Visible ASCII but the six characters below is fine at once; from the first other character on, each is checked.
        var other = path.AsSpan().IndexOfAnyExcept(SafeAscii);
        if (other >= 0)
        {
            foreach (var c in path.AsSpan(other))
            {
                if (char.IsWhiteSpace(c) || c is ':' or ',' or '"' or '\'' or '\\' or '#')
                {
                    return false;
                }
            }
        }

        var segments = path.AsSpan(1);
        foreach (var range in segments.Split('/'))
        {
            if (segments[range] is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
