namespace UcsMailConfig.Files;

/// <summary>
/// Replaces files so that readers see the old or the new content, never a mix: a temporary
/// file is created beside the target relative to the folder's descriptor (O_CREAT|O_EXCL|O_NOFOLLOW,
/// so it is never a file someone planted), given its final mode on the descriptor, written,
/// flushed to disk, renamed over the target with renameat (which replaces a symlink rather than
/// following it), and the folder is flushed. A crash leaves at worst a stray temporary file.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        using var folder = Posix.OpenRoot(directory);
        WriteAt(folder, Path.GetFileName(path), content, mode, path);
    }

    /// <summary>Replaces <paramref name="name"/> in the open <paramref name="folder"/>; <paramref name="path"/> is for messages.</summary>
    internal static void WriteAt(Descriptor folder, string name, ReadOnlySpan<byte> content, UnixFileMode mode, string path)
    {
        var temporary = $".{name}.ucs-mail-config-{Environment.ProcessId}.tmp";

        // A stray temporary of an earlier process with the same pid would make O_EXCL fail.
        Posix.UnlinkAt(folder, temporary);
        try
        {
            using (var file = Posix.CreateFileAt(folder, temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite, $"a temporary file beside {path}"))
            {
                Posix.SetMode(file, mode, path);
                using var handle = file.Handle();
                RandomAccess.Write(handle, content, 0);
                Posix.Sync(file, path);
            }

            Posix.RenameAt(folder, temporary, folder, name, noReplace: false, path);
        }
        catch
        {
            Posix.UnlinkAt(folder, temporary);
            throw;
        }

        // A rename is durable only once the folder's own entry is flushed.
        Posix.Sync(folder, $"the folder of {path}");
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            using var folder = Posix.OpenRoot(Path.GetDirectoryName(path)!);
            Posix.Sync(folder, $"the folder of {path}");
        }
    }
}
