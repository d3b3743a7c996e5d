namespace UcsMailConfig.Tests.Support;

/// <summary>
/// Every folder, file and symlink below a root with its mode, size, mtime and symlink target:
/// two equal listings mean nothing below the root was created, removed, written or chmod-ed.
/// </summary>
public static class TreeListing
{
    /// <summary>The listing; <paramref name="folderTimes"/> false leaves out folders' mtimes (a file created and removed again).</summary>
    public static IReadOnlyDictionary<string, string> Of(string root, bool folderTimes = true) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .ToDictionary(
                e => Path.GetRelativePath(root, e.FullName),
                e => e switch
                {
                    { LinkTarget: { } target } => $"link {target}",
                    DirectoryInfo => $"folder {Convert.ToString((int)e.UnixFileMode, 8)}{(folderTimes ? $" {e.LastWriteTimeUtc.Ticks}" : "")}",
                    FileInfo file => $"file {Convert.ToString((int)e.UnixFileMode, 8)} {file.Length} {e.LastWriteTimeUtc.Ticks}",
                    _ => "other",
                },
                StringComparer.Ordinal);

    /// <summary>Fails with the entries that differ, each with its before and after.</summary>
    public static void AssertSame(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var differences = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.GetValueOrDefault(k) ?? "(none)"} -> {after.GetValueOrDefault(k) ?? "(none)"}")
            .ToList();
        Assert.True(differences.Count == 0, "the tree changed:\n" + string.Join('\n', differences));
    }

    /// <summary>The mode of every entry, for checking what a run created.</summary>
    public static IReadOnlyDictionary<string, UnixFileMode> Modes(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .ToDictionary(e => Path.GetRelativePath(root, e.FullName), e => e.UnixFileMode, StringComparer.Ordinal);
}
