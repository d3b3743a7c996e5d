using Microsoft.Win32.SafeHandles;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Replaces files so that readers see the old or the new content, never a mix: a temporary
/// file is created beside the target relative to the folder's descriptor (O_CREAT|O_EXCL|O_NOFOLLOW,
/// so it is never a file someone planted), given its final mode on the descriptor, written,
/// flushed to disk, renamed over the target with renameat (which replaces a symlink rather than
/// following it), and the folder is flushed. A crash leaves at worst a stray temporary file.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var folder = Libc.Open(directory, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec, 0);
        if (folder < 0)
        {
            throw new IOException($"cannot open the folder {directory}: {Libc.Error(Libc.LastError)}");
        }

        try
        {
            WriteAt(folder, Path.GetFileName(path), content, mode, path);
        }
        finally
        {
            Libc.Close(folder);
        }
    }

    /// <summary>Replaces <paramref name="name"/> in the open <paramref name="folder"/>; <paramref name="path"/> is for messages.</summary>
    internal static void WriteAt(int folder, string name, ReadOnlySpan<byte> content, UnixFileMode mode, string path)
    {
        var temporary = $".{name}.ucs-mail-config-{Environment.ProcessId}.tmp";

        // A stray temporary of an earlier process with the same pid would make O_EXCL fail.
        Libc.UnlinkAt(folder, temporary, 0);
        var descriptor = Libc.OpenAt(folder, temporary, Libc.WriteOnly | Libc.Create | Libc.Exclusive | Libc.NoFollow | Libc.CloseOnExec, 0b110_000_000);
        if (descriptor < 0)
        {
            throw new IOException($"cannot create a temporary file beside {path}: {Libc.Error(Libc.LastError)}");
        }

        try
        {
            using (var handle = new SafeFileHandle(descriptor, ownsHandle: true))
            {
                Check(Libc.Fchmod(descriptor, (int)mode), "set the mode of", path);
                RandomAccess.Write(handle, content, 0);
                Check(Libc.Fsync(descriptor), "flush", path);
            }

            Check(Libc.RenameAt(folder, temporary, folder, name), "rename a temporary file over", path);
        }
        catch
        {
            Libc.UnlinkAt(folder, temporary, 0);
            throw;
        }

        // A rename is durable only once the folder's own entry is flushed.
        Check(Libc.Fsync(folder), "flush the folder of", path);
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            var folder = Libc.Open(Path.GetDirectoryName(path)!, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec, 0);
            if (folder < 0)
            {
                throw new IOException($"cannot open the folder of {path}: {Libc.Error(Libc.LastError)}");
            }

            try
            {
                Check(Libc.Fsync(folder), "flush the folder of", path);
            }
            finally
            {
                Libc.Close(folder);
            }
        }
    }

    private static void Check(int result, string action, string path)
    {
        if (result != 0)
        {
            throw new IOException($"cannot {action} {path}: {Libc.Error(Libc.LastError)}");
        }
    }
}
