namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// Where UCR keeps template sources and which file it generates from each (UCS-FACTS.md, "UCR
/// templates"). The one owner of the <c>etc/univention/templates/files/</c> rule: a source at
/// <c>files/X</c> generates <c>/X</c>, a subfile in <c>files/X.d/</c> feeds the multifile <c>/X</c>.
/// </summary>
internal static class UcrTargets
{
    public const string MainCf = "/etc/postfix/main.cf";

    /// <summary>UCR's template folder below a root; its <c>files/</c> and <c>info/</c> hold sources and registrations.</summary>
    public const string TemplatesDirectory = "etc/univention/templates/";

    /// <summary>Where the sources of generated files live below a root.</summary>
    public const string FilesDirectory = TemplatesDirectory + "files/";

    /// <summary>The folder of main.cf's subfile sources; UCR joins them in base-name order.</summary>
    public const string MainCfFragments = FilesDirectory + "etc/postfix/main.cf.d/";

    /// <summary>UCS's last main.cf fragment, which appends <see cref="MainCfLocal"/> when it exists.</summary>
    public const string LocalFragment = "99_local";

    /// <summary>The admin's hand-written main.cf extras (UCS-FACTS.md), relative to the root.</summary>
    public const string MainCfLocal = "etc/postfix/main.cf.local";

    /// <summary>The first line of our '#'-comment templates; UCR replaces it with its "do not edit" header of '#' lines.</summary>
    public const string HashWarning = "@%@UCRWARNING=# @%@";

    /// <summary>main.cf or a table Postfix reads: a change means checking and reloading Postfix.</summary>
    public static bool IsPostfix(string target) => target.StartsWith("/etc/postfix/", StringComparison.Ordinal);

    /// <summary>/etc/opendkim.conf and the files below /etc/opendkim/.</summary>
    public static bool IsOpenDkim(string target) => target.StartsWith("/etc/opendkim", StringComparison.Ordinal);

    /// <summary>
    /// The path UCR knows a source by in <c>.info</c> files (<c>File:</c>, <c>Subfile:</c>), without
    /// a leading slash: <c>etc/opendkim.conf</c> for <c>etc/univention/templates/files/etc/opendkim.conf</c>.
    /// Null for a file that is not a UCR template source.
    /// </summary>
    public static string? UcrPath(string rootRelative) =>
        rootRelative.StartsWith(FilesDirectory, StringComparison.Ordinal) ? rootRelative[FilesDirectory.Length..] : null;

    /// <summary>
    /// The generated file (absolute, as UCR names it) that a source below
    /// etc/univention/templates/files/ feeds: a subfile in <c>X.d/</c> feeds the multifile
    /// <c>X</c>, any other source its own path. Null for files that are not UCR template sources.
    /// </summary>
    public static string? For(string rootRelative)
    {
        if (UcrPath(rootRelative) is not { } ucrPath)
        {
            return null;
        }

        var directory = Path.GetDirectoryName(ucrPath) ?? "";
        return directory.EndsWith(".d", StringComparison.Ordinal) ? "/" + directory[..^2] : "/" + ucrPath;
    }
}
