namespace UcsMailConfig.Cli;

/// <summary>
/// The value names options show in help (<c>--root &lt;DIR&gt;</c>). The man page prints them,
/// and shell completion completes by them: a folder, a file, or nothing it could guess.
/// </summary>
internal static class ValueNames
{
    public const string Folder = "DIR";
    public const string File = "FILE";
    public const string Program = "PROGRAM";
    public const string Policy = "POLICY";

    public static bool IsFolder(string name) => name == Folder;

    public static bool IsFile(string name) => name is File or Program or Policy;
}
