using Microsoft.Win32.SafeHandles;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The tool's own files: below var/lib/ucs-mail-config (state.json, the journal and its
/// backups, the lock and its holder) and the audit log in UCS's var/log/univention. Our folders
/// are root's 0700 and our files root's 0600; each is reached through its folder's descriptor
/// without following a symlink, and trusted only after fstat shows the owner is the user
/// running the tool (root) and nobody else can write it. Anything else raises
/// <see cref="StateRefusedException"/> before it is used, and nothing is changed.
/// </summary>
public static class StateFiles
{
    /// <summary>Our own folder, var/lib/ucs-mail-config/ (the one place that says so is the template catalog).</summary>
    public const string Directory = TemplateCatalog.StateDirectory;

    /// <summary>True for a path below our own folder (written through <see cref="Write"/>).</summary>
    public static bool IsOwn(string relative) => relative.StartsWith(Directory, StringComparison.Ordinal);

    private const int FolderMode = 0b111_000_000;

    /// <summary>The mode of every file of the tool's own.</summary>
    internal const int FileMode = 0b110_000_000;
    private const int OuterFolderMode = 0b111_101_101;

    // Group/other write, setuid, setgid, sticky: bits no file the tool trusts may have.
    private const UnixFileMode Untrusted = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite
        | UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    /// <summary>The file's content, or null when it (or its folder) does not exist.</summary>
    public static byte[]? Read(string root, string relative)
    {
        using var handle = Open(root, relative, Libc.ReadOnly, create: false);
        if (handle is null)
        {
            return null;
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return content.ToArray();
    }

    /// <summary>Replaces the file atomically with <paramref name="content"/>, mode 0600 unless told, creating our folders 0700.</summary>
    public static void Write(string root, string relative, ReadOnlySpan<byte> content, UnixFileMode mode = (UnixFileMode)FileMode)
    {
        var folder = OpenFolder(root, Path.GetDirectoryName(relative)!, create: true);
        try
        {
            AtomicFile.WriteAt(folder, Path.GetFileName(relative), content, mode, Path.Combine(root, relative));
        }
        finally
        {
            Libc.Close(folder);
        }
    }

    /// <summary>Writes a file the tool manages below the root: one of ours as <see cref="Write"/> does, any other atomically in its folder.</summary>
    public static void WriteManaged(string root, string relative, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (IsOwn(relative))
        {
            Write(root, relative, content, mode);
        }
        else
        {
            AtomicFile.Write(Path.Combine(root, relative), content, mode);
        }
    }

    /// <summary>
    /// Opens the file with <paramref name="access"/> (a Libc access mode and flags), after the
    /// owner and mode checks. With <paramref name="create"/> a missing file (and folder) is
    /// created, and the modes are set to ours; without it a missing file gives null and
    /// nothing on disk changes.
    /// </summary>
    public static SafeFileHandle? Open(string root, string relative, int access, bool create)
    {
        var path = Path.Combine(root, relative);
        var folder = OpenFolder(root, Path.GetDirectoryName(relative)!, create);
        if (folder < 0)
        {
            return null;
        }

        int descriptor;
        try
        {
            descriptor = Libc.OpenAt(folder, Path.GetFileName(relative), access | Libc.NoFollow | Libc.CloseOnExec | (create ? Libc.Create : 0), FileMode);
        }
        finally
        {
            Libc.Close(folder);
        }

        if (descriptor < 0)
        {
            var errno = Libc.LastError;
            return errno == Libc.NoSuchFile && !create ? null : throw Refusal(path, errno);
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            Trust(descriptor, path, directory: false);
            if (create && Libc.Fchmod(descriptor, FileMode) != 0)
            {
                throw new IOException($"cannot set the mode of {path}: {Libc.Error(Libc.LastError)}");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A descriptor of the folder <paramref name="relative"/> below the root (the caller closes
    /// it), or -1 when it does not exist and <paramref name="create"/> is false. The folders
    /// from var/lib/ucs-mail-config down are ours: opened one by one without following a
    /// symlink, checked, and (when creating) made 0700; the folders above are the host's.
    /// </summary>
    internal static int OpenFolder(string root, string relative, bool create)
    {
        var parts = relative.Split('/');
        var ownFrom = IsOwn(relative + "/") ? Directory.Split('/').Length - 2 : parts.Length;
        var outer = Path.Combine(root, string.Join('/', parts[..ownFrom]));
        if (create)
        {
            System.IO.Directory.CreateDirectory(outer, (UnixFileMode)OuterFolderMode);
        }

        var descriptor = Libc.Open(outer, Libc.ReadOnly | Libc.Directory | Libc.CloseOnExec, 0);
        if (descriptor < 0)
        {
            var errno = Libc.LastError;
            return errno == Libc.NoSuchFile && !create ? -1
                : errno == 13 /* EACCES */ && !Environment.IsPrivilegedProcess ? throw new StateRefusedException(NotRoot(outer))
                : throw new IOException($"cannot open the folder {outer}: {Libc.Error(errno)}");
        }

        for (var i = ownFrom; i < parts.Length; i++)
        {
            var path = Path.Combine(root, string.Join('/', parts[..(i + 1)]));
            if (create && Libc.MkdirAt(descriptor, parts[i], FolderMode) != 0 && Libc.LastError != Libc.FileExists)
            {
                var errno = Libc.LastError;
                Libc.Close(descriptor);
                throw new IOException($"cannot create the folder {path}: {Libc.Error(errno)}");
            }

            var next = Libc.OpenAt(descriptor, parts[i], Libc.ReadOnly | Libc.Directory | Libc.NoFollow | Libc.CloseOnExec, 0);
            var openError = Libc.LastError;
            Libc.Close(descriptor);
            if (next < 0)
            {
                return openError == Libc.NoSuchFile && !create ? -1 : throw Refusal(path, openError);
            }

            try
            {
                Trust(next, path, directory: true);
                if (create && Libc.Fchmod(next, FolderMode) != 0)
                {
                    throw new IOException($"cannot set the mode of {path}: {Libc.Error(Libc.LastError)}");
                }
            }
            catch
            {
                Libc.Close(next);
                throw;
            }

            descriptor = next;
        }

        return descriptor;
    }

    private static void Trust(int descriptor, string path, bool directory)
    {
        var status = Libc.Status(descriptor, path);
        if (status.Owner == 0 && !Environment.IsPrivilegedProcess)
        {
            // Not a planted file: the tool runs as the wrong user.
            throw new StateRefusedException(NotRoot(path));
        }

        var problem =
            directory != status.IsDirectory || (!directory && !status.IsRegularFile) ? $"is not a {(directory ? "folder" : "regular file")}"
            : status.Owner != Libc.Geteuid() ? $"is owned by uid {status.Owner}, not by root"
            : (status.Permissions & Untrusted) != 0 ? $"has mode {Convert.ToString((int)status.Permissions, 8)}, writable by others or with a setuid/setgid/sticky bit"
            : null;
        if (problem is not null)
        {
            throw new StateRefusedException(Message(path, problem));
        }
    }

    private static Exception Refusal(string path, int errno) => errno switch
    {
        Libc.TooManyLinks or 20 /* ENOTDIR */ => new StateRefusedException(Message(path, "is a symlink (or not a folder where one must be)")),
        21 /* EISDIR */ => new StateRefusedException(Message(path, "is a folder")),
        13 /* EACCES */ when !Environment.IsPrivilegedProcess => new StateRefusedException(NotRoot(path)),
        _ => new IOException($"cannot open {path}: {Libc.Error(errno)}"),
    };

    private static string NotRoot(string path) =>
        $"{path} is root's, and ucs-mail-config changed nothing: it must run as root; run it with sudo or as root";

    private static string Message(string path, string problem) =>
        $"{path} {problem}; ucs-mail-config trusts only its own files (root's, no symlink, not writable by others), so it changed nothing: find out who put it there, then remove it or make it root's with mode 0600 (folders 0700)";
}

/// <summary>One of the tool's own files cannot be trusted or read; the message names it and what to do. Nothing was changed.</summary>
public sealed class StateRefusedException(string message) : Exception(message);
