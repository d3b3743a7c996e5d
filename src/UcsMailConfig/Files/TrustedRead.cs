using System.Text;

namespace UcsMailConfig.Files;

/// <summary>
/// The one way the tool reads the host's files below <c>--root</c> (UCR's layers, dpkg's
/// status, templates, main.cf and its sources, generated files). The root itself is the
/// admin's choice; below it, every folder is opened relative to its parent and the file
/// relative to its folder, with O_NOFOLLOW, and each is trusted only when it is owned by root
/// (the user running the tool) and writable by nobody else — on a real UCS host all of these
/// are root's 0644 files in root's 0755 folders. A symlink, a non-file where a file must be,
/// another owner, or group/other write raises <see cref="UntrustedFileException"/> naming the
/// path; nothing is read through it. A missing file or folder on the way is simply missing.
/// <see cref="OwnedFile"/> reads a file outside the root that the tool once was given (the
/// installed policy) by the same walk from "/", with the rule for an admin's own file.
/// </summary>
internal static class TrustedRead
{
    private const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>The file's bytes, or null when it or a folder on its way is missing.</summary>
    public static byte[]? Bytes(string root, string relative) => BytesAndMode(root, relative)?.Content;

    /// <summary>The file's bytes and permission bits (as <see cref="File.GetUnixFileMode(string)"/> gives them), or null when it is missing.</summary>
    public static (byte[] Content, UnixFileMode Mode)? BytesAndMode(string root, string relative)
    {
        using var file = OpenFile(root, relative);
        if (file is null)
        {
            return null;
        }

        var mode = Posix.Status(file, Path.Combine(root, relative)).Permissions;
        using var stream = new FileStream(file.Handle(), FileAccess.Read, bufferSize: 0);
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return (content.ToArray(), mode);
    }

    /// <summary>The file's text (UTF-8), or null when it is missing.</summary>
    public static string? Text(string root, string relative) =>
        Bytes(root, relative) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The file's lines (as <see cref="File.ReadLines(string)"/> splits them); none when it is missing.</summary>
    public static IEnumerable<string> Lines(string root, string relative)
    {
        if (Bytes(root, relative) is not { } bytes)
        {
            yield break;
        }

        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>True when the file is there (and trusted).</summary>
    public static bool Exists(string root, string relative)
    {
        using var file = OpenFile(root, relative);
        return file is not null;
    }

    /// <summary>
    /// The names of the entries in the folder that are not folders themselves (a symlink is
    /// listed, and refused when read), sorted ordinally; none when the folder is missing.
    /// </summary>
    public static IReadOnlyList<string> FileNames(string root, string relativeFolder)
    {
        using var folder = OpenFolder(root, relativeFolder);
        if (folder is null)
        {
            return [];
        }

        var shown = Path.Combine(root, relativeFolder);
        return [.. Posix.Names(folder)
            .Where(name => !Posix.EntryStatus(folder, name, Path.Combine(shown, name)).IsDirectory)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The open, checked file; null when it or a folder on the way is missing.</summary>
    public static Descriptor? OpenFile(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        using var folder = OpenFolder(root, Path.GetDirectoryName(relative) ?? "");
        if (folder is null)
        {
            return null;
        }

        var name = Path.GetFileName(relative);
        if (name is "" or "." or "..")
        {
            throw Refusal(path, "does not name a file below the root");
        }

        Descriptor file;
        try
        {
            file = Posix.OpenFileAt(folder, name, path);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
        {
            return null;
        }
        catch (PosixException e) when (e.Errno == Posix.TooManySymlinks)
        {
            throw Refusal(path, "is a symlink");
        }

        try
        {
            Check(file, path, directory: false);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The open, checked folder (each one from the root down checked); null when one on the way is missing.</summary>
    public static Descriptor? OpenFolder(string root, string relative)
    {
        Descriptor current;
        try
        {
            current = Posix.OpenRoot(root);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
        {
            return null;
        }

        var shown = root;
        foreach (var name in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            shown = Path.Combine(shown, name);
            using var parent = current;
            if (name is "." or "..")
            {
                throw Refusal(shown, "leaves the folder it names (. or ..)");
            }

            try
            {
                current = Posix.OpenFolderAt(parent, name, shown);
            }
            catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
            {
                return null;
            }
            catch (PosixException e) when (e.Errno is Posix.TooManySymlinks or Posix.NotADirectory)
            {
                // O_NOFOLLOW|O_DIRECTORY fails the same way on a symlink and on a file: say which.
                var entry = Posix.EntryStatus(parent, name, shown);
                throw Refusal(shown, entry.IsRegularFile ? "is not a folder" : "is a symlink");
            }

            try
            {
                Check(current, shown, directory: true);
            }
            catch
            {
                current.Dispose();
                throw;
            }
        }

        return current;
    }

    /// <summary>
    /// A file the admin named outside the root (the installed policy): every folder from "/" down
    /// and the file are opened without following a symlink, the file must be a regular file, and
    /// each folder must be owned by root or by the file's owner and writable by nobody else —
    /// except a root-owned sticky folder such as /tmp, where only an entry's owner may replace it.
    /// The file itself must not be writable by its group or others.
    /// </summary>
    /// <exception cref="FileNotFoundException">the file or a folder on its way is missing.</exception>
    /// <exception cref="UntrustedFileException">a symlink, or someone else could replace or change it.</exception>
    public static byte[] OwnedFile(string path)
    {
        var full = Path.GetFullPath(path);
        var folders = new List<(string Shown, FileStatus Status)>();
        var current = Posix.OpenRoot("/");
        try
        {
            var names = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var shown = "";
            for (var i = 0; i < names.Length; i++)
            {
                folders.Add((shown.Length == 0 ? "/" : shown, Posix.Status(current, shown)));
                shown += "/" + names[i];
                var last = i == names.Length - 1;
                Descriptor next;
                try
                {
                    next = last ? Posix.OpenFileAt(current, names[i], shown) : Posix.OpenFolderAt(current, names[i], shown);
                }
                catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
                {
                    throw new FileNotFoundException($"{shown} does not exist", full);
                }
                catch (PosixException e) when (e.Errno is Posix.TooManySymlinks or Posix.NotADirectory)
                {
                    throw Refusal(shown, Posix.EntryStatus(current, names[i], shown).IsRegularFile ? "is not a folder" : "is a symlink");
                }

                current.Dispose();
                current = next;
            }

            var file = Posix.Status(current, full);
            var problem = !file.IsRegularFile ? (full, "is not a regular file")
                : (file.Permissions & OthersWrite) != 0 ? (full, $"has mode {Convert.ToString((int)file.Permissions, 8)}, {WritableByOthers}")
                : folders.Select(f => (f.Shown, FolderProblem(f.Status, file.UserId))).FirstOrDefault(f => f.Item2 is not null);
            if (problem.Item2 is { } why)
            {
                throw Refusal(problem.Item1, why);
            }

            using var stream = new FileStream(current.Handle(), FileAccess.Read, bufferSize: 0);
            using var content = new MemoryStream();
            stream.CopyTo(content);
            return content.ToArray();
        }
        finally
        {
            current.Dispose();
        }
    }

    private static string? FolderProblem(FileStatus folder, uint fileOwner)
    {
        var sticky = (folder.Permissions & UnixFileMode.StickyBit) != 0;
        return folder.UserId != 0 && folder.UserId != fileOwner ? $"{OwnedBy} {folder.UserId}, neither root nor the file's owner"
            : (folder.Permissions & OthersWrite) != 0 && !(sticky && folder.UserId == 0) ? $"has mode {Convert.ToString((int)folder.Permissions, 8)}, {WritableByOthers}"
            : null;
    }

    private static void Check(Descriptor descriptor, string path, bool directory)
    {
        var status = Posix.Status(descriptor, path);
        var problem =
            directory && !status.IsDirectory ? "is not a folder"
            : !directory && !status.IsRegularFile ? "is not a regular file"
            : status.UserId != 0 && status.UserId != Posix.EffectiveUserId ? $"{OwnedBy} {status.UserId}, not by root"
            : (status.Permissions & OthersWrite) != 0 ? $"has mode {Convert.ToString((int)status.Permissions, 8)}, {WritableByOthers}"
            : null;
        if (problem is not null)
        {
            throw Refusal(path, problem);
        }
    }

    private static UntrustedFileException Refusal(string path, string problem) =>
        new($"{path} {problem}; ucs-mail-config runs as root and reads the host's files only through real folders and files that only root can change, so it read nothing through it and changed nothing: find out who put it there, then {Repair(path, problem)}");

    // The exact command for the two problems a command fixes; a symlink or a wrong kind of file needs a look first.
    private static string Repair(string path, string problem) =>
        problem.EndsWith(WritableByOthers, StringComparison.Ordinal) ? $"run 'chmod go-w {path}'"
        : problem.StartsWith(OwnedBy, StringComparison.Ordinal) ? $"run 'chown root {path}' (or remove it)"
        : "make it a root-owned file or folder that only root can write";

    private const string WritableByOthers = "writable by its group or others";
    private const string OwnedBy = "is owned by uid";
}

/// <summary>A host file below the root, or a folder on its way, that the tool does not trust; the message names it. Nothing was read through it.</summary>
internal sealed class UntrustedFileException(string message) : IOException(message);
