namespace UcsMailConfig.Rendering;

/// <summary>
/// The folder <c>render --out</c> writes to. Contract: a new folder gets the whole tree (written
/// beside it, then moved into place), an empty one is filled where it is; with <c>force</c>, a
/// folder that holds only what an earlier render wrote (listed in its manifest,
/// <see cref="ManifestName"/>) has exactly those files replaced or removed, and anything else
/// makes it refuse before writing a byte.
/// Symbolic links are never followed: one found where a folder is expected is a foreign entry.
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
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is not null || File.Exists(directory))
            {
                throw new RenderOutputException("--out is a file or a symbolic link, not a folder; name a folder");
            }

            if (!info.Exists)
            {
                WriteFresh(directory, tree);
                return;
            }

            // An existing empty folder keeps its owner, mode and place (it may be a mount point or
            // the current folder): it is filled where it is, like a replacement with nothing to remove.
            if (!info.EnumerateFileSystemInfos().Any())
            {
                Replace(directory, tree, []);
                return;
            }

            if (!force)
            {
                throw new RenderOutputException("the folder is not empty; choose another --out or add --force to replace what an earlier render wrote there");
            }

            var previous = ReadManifest(directory);
            var foreign = ForeignEntries(directory, previous);
            if (foreign.Count > 0)
            {
                var named = string.Join(", ", foreign.Take(NamedForeignEntries));
                var more = foreign.Count > NamedForeignEntries ? " and more" : "";
                var hint = File.Exists(Path.Combine(directory, ManifestName)) ? "move them away" : $"move them away (there is no {ManifestName}; if an older ucs-mail-config, which wrote none, rendered here, remove its output yourself)";
                throw new RenderOutputException(
                    $"--force replaces only what an earlier render wrote (listed in {ManifestName}), and this folder also holds {named}{more}; choose another --out or {hint}");
            }

            Replace(directory, tree, previous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RenderOutputException($"cannot write the output: {e.Message}");
        }
    }

    private static void WriteFresh(string directory, RenderedTree tree)
    {
        var staging = $"{directory}.rendering-{Environment.ProcessId}";
        try
        {
            tree.WriteTo(staging);
            WriteManifest(staging, tree.Files.Keys);
            Directory.Move(staging, directory);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // Each file is renamed into place (rename replaces a link, never writes through it). The
    // manifest first lists old and new files, so an interrupted run still names all it wrote.
    private static void Replace(string directory, RenderedTree tree, HashSet<string> previous)
    {
        WriteManifest(directory, previous.Union(tree.Files.Keys).Order(StringComparer.Ordinal));
        foreach (var file in tree.Files.Values)
        {
            var target = Path.Combine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            WriteAndRename(target, file.Content, file.Mode);
        }

        foreach (var stale in previous.Where(p => !tree.Files.ContainsKey(p)))
        {
            var path = Path.Combine(directory, stale);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
            }

            RemoveEmptyFolders(directory, Path.GetDirectoryName(stale));
        }

        WriteManifest(directory, tree.Files.Keys);
    }

    private static void RemoveEmptyFolders(string directory, string? relative)
    {
        for (; !string.IsNullOrEmpty(relative); relative = Path.GetDirectoryName(relative))
        {
            var folder = Path.Combine(directory, relative);
            if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
            {
                return;
            }

            Directory.Delete(folder);
        }
    }

    private static void WriteManifest(string directory, IEnumerable<string> paths) =>
        WriteAndRename(Path.Combine(directory, ManifestName), System.Text.Encoding.UTF8.GetBytes(string.Concat(paths.Select(p => p + "\n"))), ManifestMode);

    private static void WriteAndRename(string target, byte[] content, UnixFileMode mode)
    {
        var temporary = $"{target}.rendering-{Environment.ProcessId}";
        try
        {
            // CreateNew is O_CREAT|O_EXCL: a link planted at the temporary name is refused, not followed.
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            {
                stream.Write(content);
                File.SetUnixFileMode(stream.SafeFileHandle, mode);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // A manifest line that is not a plain relative path below the folder (absolute, '..', empty
    // parts) makes the whole manifest untrusted: removing by it could reach anywhere.
    private static HashSet<string> ReadManifest(string directory)
    {
        var path = Path.Combine(directory, ManifestName);
        var manifest = new FileInfo(path);
        if (!manifest.Exists || manifest.LinkTarget is not null)
        {
            return [];
        }

        if (manifest.Length > MaxManifestBytes)
        {
            throw new RenderOutputException($"{ManifestName} is larger than any manifest render writes; move the folder's contents away or choose another --out");
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
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
    // folders (or links where a folder would be) that hold no listed file.
    private static List<string> ForeignEntries(string directory, HashSet<string> manifest)
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
            foreach (var entry in new DirectoryInfo(Path.Combine(directory, relative)).EnumerateFileSystemInfos())
            {
                var path = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
                var isFolder = entry is DirectoryInfo && entry.LinkTarget is null;
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
