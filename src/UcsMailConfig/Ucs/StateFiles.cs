using Microsoft.Win32.SafeHandles;
using UcsMailConfig.Files;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The tool's own files: below var/lib/ucs-mail-config (state.json, the journal and its
/// backups, the lock and its holder) and the audit log in UCS's var/log/univention. Our folders
/// are root's 0700 and our files root's 0600; each is reached through its folder's descriptor
/// without following a symlink, and trusted only after statx on the descriptor shows the owner
/// is the user running the tool (root) and nobody else can write it. Anything else raises
/// <see cref="StateRefusedException"/> before it is used, and nothing is changed.
/// </summary>
internal static class StateFiles
{
    /// <summary>Our own folder, var/lib/ucs-mail-config/ (the one place that says so is the template catalog).</summary>
    public const string Directory = TemplateCatalog.StateDirectory;

    /// <summary>True for a path below our own folder (written through <see cref="Write"/>).</summary>
    public static bool IsOwn(string relative) => relative.StartsWith(Directory, StringComparison.Ordinal);

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of every file of the tool's own.</summary>
    internal const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OuterFolderMode = (UnixFileMode)0b111_101_101;

    // Group/other write, setuid, setgid, sticky: bits no file the tool trusts may have.
    private const UnixFileMode Untrusted = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite
        | UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    /// <summary>The file's content, or null when it (or its folder) does not exist.</summary>
    public static byte[]? Read(string root, string relative)
    {
        using var handle = Open(root, relative, Posix.ReadOnly, create: false);
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
    public static void Write(string root, string relative, ReadOnlySpan<byte> content, UnixFileMode mode = FileMode)
    {
        using var folder = OpenFolder(root, Path.GetDirectoryName(relative)!, create: true)!;
        AtomicFile.WriteAt(folder, Path.GetFileName(relative), content, mode, Path.Combine(root, relative));
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
    /// Removes a file or folder the tool manages below the root. One of ours (below
    /// var/lib/ucs-mail-config) is reached as <see cref="Open"/> reaches it, through its checked
    /// folder's descriptor, and removed with unlinkat (a folder with all it holds, no symlink
    /// followed); any other as <see cref="AtomicFile.Delete"/> does. A missing one is nothing to do.
    /// </summary>
    public static void DeleteManaged(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        if (!IsOwn(relative))
        {
            AtomicFile.Delete(path);
            return;
        }

        using var folder = OpenFolder(root, Path.GetDirectoryName(relative)!, create: false);
        if (folder is null)
        {
            return;
        }

        var name = Path.GetFileName(relative);
        var errno = Posix.TryUnlinkAt(folder, name);
        if (errno == Posix.IsADirectory)
        {
            // Checked like every folder of ours (root's, nobody else may write it) before anything in it goes.
            OpenFolder(root, relative, create: false)?.Dispose();
            FolderTree.Remove(folder, name, path);
        }
        else if (errno is not 0 and not Posix.NoSuchFile)
        {
            throw new IOException($"cannot remove {path}: {Posix.Describe(errno)}");
        }

        // A removal is durable only once the folder's own entry is flushed.
        Posix.Sync(folder, $"the folder of {path}");
    }

    /// <summary>
    /// Opens the file with <paramref name="access"/> (<see cref="Posix.ReadOnly"/>… and
    /// <see cref="Posix.Append"/>), after the owner and mode checks. With <paramref name="create"/>
    /// a missing file (and folder) is created, and the modes are set to ours; without it a
    /// missing file gives null and nothing on disk changes.
    /// </summary>
    public static SafeFileHandle? Open(string root, string relative, int access, bool create)
    {
        var path = Path.Combine(root, relative);
        Descriptor file;
        using (var folder = OpenFolder(root, Path.GetDirectoryName(relative)!, create))
        {
            if (folder is null)
            {
                return null;
            }

            try
            {
                file = Posix.OpenAt(folder, Path.GetFileName(relative), access, create, FileMode, path);
            }
            catch (PosixException e) when (e.Errno == Posix.NoSuchFile && !create)
            {
                return null;
            }
            catch (PosixException e)
            {
                throw Refusal(path, e);
            }
        }

        using (file)
        {
            Trust(file, path, directory: false);
            if (create)
            {
                Posix.SetMode(file, FileMode, path);
            }

            return file.Release();
        }
    }

    /// <summary>
    /// The folder <paramref name="relative"/> below the root, or null when it does not exist
    /// and <paramref name="create"/> is false. The folders from var/lib/ucs-mail-config down are
    /// ours: opened one by one without following a symlink, checked, and (when creating) made
    /// 0700; the folders above are the host's.
    /// </summary>
    internal static Descriptor? OpenFolder(string root, string relative, bool create)
    {
        var parts = relative.Split('/');
        var ownFrom = IsOwn(relative + "/") ? Directory.Split('/').Length - 2 : parts.Length;
        var outer = Path.Combine(root, string.Join('/', parts[..ownFrom]));
        if (create)
        {
            System.IO.Directory.CreateDirectory(outer, OuterFolderMode);
        }

        Descriptor descriptor;
        try
        {
            descriptor = Posix.OpenRoot(outer);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile && !create)
        {
            return null;
        }
        catch (PosixException e) when (e.Errno == Posix.PermissionDenied && !Environment.IsPrivilegedProcess)
        {
            throw new StateRefusedException(NotRoot(outer));
        }

        for (var i = ownFrom; i < parts.Length; i++)
        {
            var path = Path.Combine(root, string.Join('/', parts[..(i + 1)]));
            using var parent = descriptor;
            if (create && !Posix.TryMakeFolderAt(parent, parts[i], FolderMode, out var errno) && errno != Posix.Exists)
            {
                throw new IOException($"cannot create the folder {path}: {Posix.Describe(errno)}");
            }

            try
            {
                descriptor = Posix.OpenFolderAt(parent, parts[i], path);
            }
            catch (PosixException e) when (e.Errno == Posix.NoSuchFile && !create)
            {
                return null;
            }
            catch (PosixException e)
            {
                throw Refusal(path, e);
            }

            try
            {
                Trust(descriptor, path, directory: true);
                if (create)
                {
                    Posix.SetMode(descriptor, FolderMode, path);
                }
            }
            catch
            {
                descriptor.Dispose();
                throw;
            }
        }

        return descriptor;
    }

    private static void Trust(Descriptor descriptor, string path, bool directory)
    {
        var status = Posix.Status(descriptor, path);
        if (status.UserId == 0 && !Environment.IsPrivilegedProcess)
        {
            // Not a planted file: the tool runs as the wrong user.
            throw new StateRefusedException(NotRoot(path));
        }

        var problem =
            directory != status.IsDirectory || (!directory && !status.IsRegularFile) ? $"is not a {(directory ? "folder" : "regular file")}"
            : status.UserId != Posix.EffectiveUserId ? $"is owned by uid {status.UserId}, not by root"
            : (status.Permissions & Untrusted) != 0 ? $"has mode {Convert.ToString((int)status.Permissions, 8)}, writable by others or with a setuid/setgid/sticky bit"
            : null;
        if (problem is not null)
        {
            throw new StateRefusedException(Message(path, problem));
        }
    }

    private static Exception Refusal(string path, PosixException e) => e.Errno switch
    {
        Posix.TooManySymlinks or Posix.NotADirectory => new StateRefusedException(Message(path, "is a symlink (or not a folder where one must be)")),
        Posix.IsADirectory => new StateRefusedException(Message(path, "is a folder")),
        Posix.PermissionDenied when !Environment.IsPrivilegedProcess => new StateRefusedException(NotRoot(path)),
        _ => e,
    };

    private static string NotRoot(string path) =>
        $"{path} is root's, and ucs-mail-config changed nothing: it must run as root; run it with sudo or as root";

    private static string Message(string path, string problem) =>
        $"{path} {problem}; ucs-mail-config trusts only its own files (root's, no symlink, not writable by others), so it changed nothing: find out who put it there, then remove it or make it root's with mode 0600 (folders 0700)";
}

/// <summary>One of the tool's own files cannot be trusted or read; the message names it and what to do. Nothing was changed.</summary>
public sealed class StateRefusedException(string message) : Exception(message);
