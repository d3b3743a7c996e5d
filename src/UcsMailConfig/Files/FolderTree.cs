namespace UcsMailConfig.Files;

/// <summary>
/// Removes a folder and everything below it through descriptors: each subfolder is opened
/// relative to its parent without following a symlink, and every entry is removed with
/// unlinkat, so a symlink inside is removed itself and what it points to is never touched.
/// </summary>
internal static class FolderTree
{
    /// <summary>Removes <paramref name="name"/> in <paramref name="parent"/> with all it holds; a missing one is nothing to do.</summary>
    public static void Remove(Descriptor parent, string name, string shownAs)
    {
        Descriptor folder;
        try
        {
            folder = Posix.OpenFolderAt(parent, name, shownAs);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
        {
            return;
        }

        using (folder)
        {
            foreach (var entry in Posix.Names(folder).ToList())
            {
                var shown = Path.Combine(shownAs, entry);
                if (Posix.EntryStatus(folder, entry, shown).IsDirectory)
                {
                    Remove(folder, entry, shown);
                }
                else if (Posix.TryUnlinkAt(folder, entry) is not 0 and var errno and not Posix.NoSuchFile)
                {
                    throw new PosixException($"cannot remove {shown}: {Posix.Describe(errno)}", errno);
                }
            }
        }

        if (Posix.TryRemoveFolderAt(parent, name) is not 0 and var failure and not Posix.NoSuchFile)
        {
            throw new PosixException($"cannot remove the folder {shownAs}: {Posix.Describe(failure)}", failure);
        }
    }
}
