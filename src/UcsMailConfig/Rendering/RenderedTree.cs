using System.Collections.Immutable;
using UcsMailConfig.Files;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The render step's output: generated files by root-relative path (ordinal order, so every
/// listing of it is byte-stable).
/// </summary>
public sealed record RenderedTree(ImmutableSortedDictionary<string, RenderedFile> Files)
{
    private const UnixFileMode FolderMode = (UnixFileMode)0b111_101_101;

    /// <summary>Writes every file below <paramref name="directory"/> (made if missing), as <see cref="WriteTo(Descriptor, string)"/> does.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        using var root = Posix.OpenRoot(directory);
        WriteTo(root, directory);
    }

    /// <summary>
    /// Writes every file below the open folder <paramref name="root"/> (<paramref name="shownAs"/>
    /// in messages): missing folders are made 0755 by mkdirat, each file replaces what is there
    /// atomically with its mode set on its descriptor (<see cref="AtomicFile"/>), and no symlink
    /// below the root is followed: one where a folder is expected fails the write.
    /// </summary>
    internal void WriteTo(Descriptor root, string shownAs)
    {
        foreach (var file in Files.Values)
        {
            using var folder = OpenFolder(root, Path.GetDirectoryName(file.Path)!, create: true, shownAs)!;
            AtomicFile.WriteAt(folder, Path.GetFileName(file.Path), file.Content, file.Mode, Path.Combine(shownAs, file.Path));
        }
    }

    /// <summary>
    /// A new descriptor of the folder <paramref name="relative"/> ("" is the root itself) below
    /// <paramref name="root"/>, walked one folder at a time without following a symlink; a
    /// missing folder is made 0755 with <paramref name="create"/>, else gives null.
    /// </summary>
    internal static Descriptor? OpenFolder(Descriptor root, string relative, bool create, string shownAs)
    {
        var current = Posix.OpenFolderAt(root, ".", shownAs);
        var path = shownAs;
        foreach (var name in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            using var parent = current;
            path = Path.Combine(path, name);
            try
            {
                current = Posix.OpenFolderAt(parent, name, path);
            }
            catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
            {
                if (!create)
                {
                    return null;
                }

                Posix.MakeFolderAt(parent, name, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, path);
                current = Posix.OpenFolderAt(parent, name, path);
                try
                {
                    Posix.SetMode(current, FolderMode, path);
                }
                catch
                {
                    current.Dispose();
                    throw;
                }
            }
        }

        return current;
    }
}
