using System.Runtime.InteropServices;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Replaces files so that readers see the old or the new content, never a mix: write a
/// temporary file in the same folder with its final mode, flush it to disk, rename it over
/// the target, flush the folder. A crash leaves at worst a stray temporary file.
/// </summary>
public static partial class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.ucs-mail-config-{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(directory);
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    private static void SyncDirectory(string directory)
    {
        // A rename is durable only once the folder's own entry is flushed; .NET cannot open
        // a folder, so this asks libc directly.
        var descriptor = Libc.Open(directory, Libc.ReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open folder {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Libc.Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush folder {directory} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            Libc.Close(descriptor);
        }
    }

    private static partial class Libc
    {
        // O_RDONLY | O_DIRECTORY on Linux.
        public const int ReadOnlyDirectory = 0x10000;

        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int descriptor);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int descriptor);
    }
}
