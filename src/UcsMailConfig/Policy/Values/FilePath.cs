namespace UcsMailConfig.Policy.Values;

/// <summary>
/// Absolute paths that are safe to write into generated files: OpenDKIM's tables split on
/// white space and ':', so neither may occur, nor '..' segments that leave the intended folder.
/// </summary>
public static class FilePath
{
    public const string Expectation = "an absolute path without spaces, ':' or '..' segments, e.g. /etc/opendkim/keys/example.com/20261128.private";

    public static bool IsSafeAbsolute(string path) =>
        path.Length is > 1 and <= 4096
        && path[0] == '/'
        && !path.EndsWith('/')
        && !path.Any(c => char.IsWhiteSpace(c) || c is ':' or ',' or '"' or '\'' or '\\' or '#')
        && path.Split('/').Skip(1).All(segment => segment is not ("" or "." or ".."));
}
