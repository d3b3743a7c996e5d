using System.Security.Cryptography;
using System.Text;
using UcsMailConfig.Files;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The folder <c>render --out</c> writes to. Contract: a new folder gets the whole tree, written
/// into a staging folder beside it (an unpredictable name made by mkdirat, so never an entry
/// someone planted; 0700 until complete, then 0755) and renamed into place with
/// RENAME_NOREPLACE, which fails rather than follow or replace anything planted at <c>--out</c>.
/// An empty folder is filled where it is; with <c>force</c>, a folder that holds only what an
/// earlier render wrote (listed in its manifest, <see cref="ManifestName"/>) has exactly those
/// files replaced or removed, and anything else makes it refuse before writing a byte.
/// Everything below <c>--out</c> is reached through folder descriptors without following a
/// symlink (one found where a folder is expected is a foreign entry), and as root an existing
/// folder is used only when root owns it and nobody else can write it: otherwise another user
/// could swap its entries while root writes.
/// </summary>
public static class RenderOutput
{
    /// <summary>The manifest: one root-relative path per line, the files the last render wrote.</summary>
    public const string ManifestName = ".ucs-mail-config-render";

    // How many foreign entries a refusal names; the walk stops one later, so a folder such as
    // /etc is refused after a few entries instead of after reading all of it.
    private const int NamedForeignEntries = 3;

    // Far above any real manifest (a render writes about a dozen files).
    private const int MaxManifestBytes = 1024 * 1024;

    private const UnixFileMode ManifestMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode StagingMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FinishedMode = (UnixFileMode)0b111_101_101;

    /// <summary>Writes <paramref name="tree"/> below <paramref name="directory"/>; throws <see cref="RenderOutputException"/> with a one-line reason when it may not.</summary>
    public static void Write(string directory, RenderedTree tree, bool force)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (directory.Length <= 1)
        {
            throw new RenderOutputException("render never writes into /; choose a folder of its own for --out");
        }

        try
        {
            // The folder above --out is the admin's choice (a symlink there is followed); from
            // here on every name is looked up relative to a descriptor, once.
            using var parent = Posix.OpenRoot(Path.GetDirectoryName(directory)!);
            var name = Path.GetFileName(directory);
            Descriptor output;
            try
            {
                output = Posix.OpenFolderAt(parent, name, directory);
            }
            catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
            {
                WriteFresh(parent, name, directory, tree);
                return;
            }
            catch (PosixException e) when (e.Errno is Posix.TooManySymlinks or Posix.NotADirectory)
            {
                throw new RenderOutputException("--out is a file or a symbolic link, not a folder; name a folder");
            }

            using (output)
            {
                WriteExisting(output, directory, tree, force);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RenderOutputException($"cannot write the output: {e.Message}");
        }
    }

    private static void WriteFresh(Descriptor parent, string name, string directory, RenderedTree tree)
    {
        var staging = $"{name}.rendering-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var shown = Path.Combine(Path.GetDirectoryName(directory)!, staging);
        Posix.MakeFolderAt(parent, staging, StagingMode, shown);
        try
        {
            using (var folder = Posix.OpenFolderAt(parent, staging, shown))
            {
                // In a folder others may write, the new name could have been swapped for theirs.
                if (Posix.Status(folder, shown).UserId != Posix.EffectiveUserId)
                {
                    throw new IOException($"{shown} was replaced by someone else's folder while render wrote it");
                }

                tree.WriteTo(folder, shown);
                WriteManifest(folder, shown, tree.Files.Keys);
                Posix.SetMode(folder, FinishedMode, shown);
            }

            Posix.RenameAt(parent, staging, parent, name, noReplace: true, directory);
        }
        catch
        {
            RemoveStaging(parent, staging, shown);
            throw;
        }
    }

    private static void WriteExisting(Descriptor output, string directory, RenderedTree tree, bool force)
    {
        RefuseUntrusted(output, directory, "--out");

        // An existing empty folder keeps its owner, mode and place (it may be a mount point or
        // the current folder): it is filled where it is, like a replacement with nothing to remove.
        if (!Posix.Names(output).Any())
        {
            Replace(output, directory, tree, []);
            return;
        }

        if (!force)
        {
            throw new RenderOutputException("the folder is not empty; choose another --out or add --force to replace what an earlier render wrote there");
        }

        var manifest = ReadManifest(output, directory);
        var previous = manifest ?? [];
        var foreign = ForeignEntries(output, directory, previous);
        if (foreign.Count > 0)
        {
            var named = string.Join(", ", foreign.Take(NamedForeignEntries));
            var more = foreign.Count > NamedForeignEntries ? " and more" : "";
            var hint = manifest is not null ? "move them away" : $"move them away (there is no {ManifestName}; if an older ucs-mail-config, which wrote none, rendered here, remove its output yourself)";
            throw new RenderOutputException(
                $"--force replaces only what an earlier render wrote (listed in {ManifestName}), and this folder also holds {named}{more}; choose another --out or {hint}");
        }

        Replace(output, directory, tree, previous);
    }

    // As root, a folder someone else owns or may write lets them swap its entries (for a symlink)
    // between our steps; the other way round, an unprivileged render cannot hurt root's files.
    private static void RefuseUntrusted(Descriptor folder, string shown, string what)
    {
        if (!Posix.IsRoot)
        {
            return;
        }

        var status = Posix.Status(folder, shown);
        var problem =
            status.UserId != Posix.EffectiveUserId ? $"is owned by uid {status.UserId}, not by root"
            : (status.Permissions & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 ? $"has mode {Convert.ToString((int)status.Permissions, 8)}, writable by group or others"
            : null;
        if (problem is not null)
        {
            throw new RenderOutputException(
                $"{what} {(what == "--out" ? "" : shown + " ")}{problem}; as root, render writes only into a folder that root owns and nobody else can write: choose a new --out (render creates it) or chown root and chmod go-w it");
        }
    }

    // Each file is renamed into place (rename replaces a link, never writes through it). The
    // manifest first lists old and new files, so an interrupted run still names all it wrote.
    private static void Replace(Descriptor output, string directory, RenderedTree tree, HashSet<string> previous)
    {
        WriteManifest(output, directory, previous.Union(tree.Files.Keys).Order(StringComparer.Ordinal));
        tree.WriteTo(output, directory);
        foreach (var stale in previous.Where(p => !tree.Files.ContainsKey(p)))
        {
            var folderPath = Path.GetDirectoryName(stale)!;
            using (var folder = RenderedTree.OpenFolder(output, folderPath, create: false, directory))
            {
                var errno = folder is null ? 0 : Posix.TryUnlinkAt(folder, Path.GetFileName(stale));
                if (errno is not 0 and not Posix.NoSuchFile)
                {
                    throw new IOException($"cannot remove {Path.Combine(directory, stale)}: {Posix.Describe(errno)}");
                }
            }

            RemoveEmptyFolders(output, directory, folderPath);
        }

        WriteManifest(output, directory, tree.Files.Keys);
    }

    private static void RemoveEmptyFolders(Descriptor output, string directory, string relative)
    {
        for (; relative.Length > 0; relative = Path.GetDirectoryName(relative)!)
        {
            using var parent = RenderedTree.OpenFolder(output, Path.GetDirectoryName(relative)!, create: false, directory);
            if (parent is null || Posix.TryRemoveFolderAt(parent, Path.GetFileName(relative)) != 0)
            {
                return;
            }
        }
    }

    // Cleans up a staging folder that failed; only ever our own 0700 folder, so a failure here
    // is left for the admin rather than hiding the error that got us here.
    private static void RemoveStaging(Descriptor parent, string name, string shown)
    {
        try
        {
            FolderTree.Remove(parent, name, shown);
        }
        catch (IOException)
        {
        }
    }

    private static void WriteManifest(Descriptor output, string directory, IEnumerable<string> paths) =>
        AtomicFile.WriteAt(output, ManifestName, Encoding.UTF8.GetBytes(string.Concat(paths.Select(p => p + "\n"))), ManifestMode, Path.Combine(directory, ManifestName));

    // The listed paths, or null when there is no manifest (or something other than a file under
    // its name). A line that is not a plain relative path below the folder (absolute, '..',
    // empty parts) makes the whole manifest untrusted: removing by it could reach anywhere.
    private static HashSet<string>? ReadManifest(Descriptor output, string directory)
    {
        var shown = Path.Combine(directory, ManifestName);
        Descriptor file;
        try
        {
            file = Posix.OpenFileAt(output, ManifestName, shown);
        }
        catch (PosixException e) when (e.Errno is Posix.NoSuchFile or Posix.TooManySymlinks)
        {
            return null;
        }

        string text;
        using (file)
        {
            if (!Posix.Status(file, shown).IsRegularFile)
            {
                return null;
            }

            using var handle = file.Handle();
            if (RandomAccess.GetLength(handle) > MaxManifestBytes)
            {
                throw new RenderOutputException($"{ManifestName} is larger than any manifest render writes; move the folder's contents away or choose another --out");
            }

            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        using var lines = new StringReader(text);
        for (var line = lines.ReadLine(); line is not null; line = lines.ReadLine())
        {
            if (!IsPlainRelativePath(line))
            {
                throw new RenderOutputException($"{ManifestName} lists {line.Length switch { > 80 => line[..80] + "…", _ => line }}, which render never writes; move the folder's contents away or choose another --out");
            }

            paths.Add(line);
        }

        return paths;
    }

    private static bool IsPlainRelativePath(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\0')
        && path.Split('/').All(part => part.Length > 0 && part is not "." and not ".." && part != ManifestName);

    // Entries below the folder that the manifest does not account for: files not listed, and
    // folders (or links where a folder would be) that hold no listed file. As root, every
    // listed folder is checked as --out itself is.
    private static List<string> ForeignEntries(Descriptor output, string directory, HashSet<string> manifest)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in manifest)
        {
            for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                if (!folders.Add(parent))
                {
                    break;
                }
            }
        }

        var foreign = new List<string>();
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0 && foreign.Count <= NamedForeignEntries)
        {
            var relative = pending.Pop();
            var shown = Path.Combine(directory, relative);
            using var folder = RenderedTree.OpenFolder(output, relative, create: false, directory)
                ?? throw new IOException($"{shown} disappeared while render read it");
            RefuseUntrusted(folder, shown, "the folder");
            foreach (var name in Posix.Names(folder))
            {
                var path = relative.Length == 0 ? name : $"{relative}/{name}";
                var isFolder = Posix.EntryStatus(folder, name, Path.Combine(shown, name)).IsDirectory;
                if (isFolder && folders.Contains(path))
                {
                    pending.Push(path);
                }
                else if (isFolder || !(manifest.Contains(path) || path == ManifestName))
                {
                    foreign.Add(isFolder ? path + "/" : path);
                    if (foreign.Count > NamedForeignEntries)
                    {
                        break;
                    }
                }
            }
        }

        foreign.Sort(StringComparer.Ordinal);
        return foreign;
    }
}

/// <summary>A reason <see cref="RenderOutput"/> refused or failed, as one line without the folder's name.</summary>
public sealed class RenderOutputException(string message) : Exception(message);
