using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>Which file UCR generates from which of our templates (UCS-FACTS.md, "UCR templates").</summary>
internal static class UcrTargets
{
    public const string MainCf = "/etc/postfix/main.cf";

    /// <summary>main.cf or a table Postfix reads: a change means checking and reloading Postfix.</summary>
    public static bool IsPostfix(string target) => target.StartsWith("/etc/postfix/", StringComparison.Ordinal);

    /// <summary>/etc/opendkim.conf and the files below /etc/opendkim/.</summary>
    public static bool IsOpenDkim(string target) => target.StartsWith("/etc/opendkim", StringComparison.Ordinal);

    private const string FilesPrefix = TemplateCatalog.UcrTemplatesDirectory + "files/";

    /// <summary>
    /// The generated file a template below etc/univention/templates/files/ feeds: a subfile in
    /// <c>X.d/</c> feeds the multifile <c>X</c>, any other template its own path. Null for
    /// files that are not UCR templates.
    /// </summary>
    public static string? For(string renderedPath)
    {
        if (!renderedPath.StartsWith(FilesPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var ucrPath = renderedPath[FilesPrefix.Length..];
        var directory = Path.GetDirectoryName(ucrPath) ?? "";
        return directory.EndsWith(".d", StringComparison.Ordinal) ? "/" + directory[..^2] : "/" + ucrPath;
    }
}
