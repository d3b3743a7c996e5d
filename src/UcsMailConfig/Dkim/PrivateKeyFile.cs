using System.Security.Cryptography;

namespace UcsMailConfig.Dkim;

/// <summary>
/// Writes a new private key file safely. Contract: the file is created with mode 0600 (never
/// readable by others, not even for an instant), filled and flushed to disk under a temporary
/// name in the same folder, given to <c>owner</c>, and only then linked under its real name,
/// which fails rather than replace anything. Missing parent folders are created with mode 0750
/// and the same owner. On any failure the temporary file is removed and nothing else changed.
/// </summary>
internal static class PrivateKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public static void WriteNew(string path, ReadOnlySpan<byte> content, SystemAccount? owner)
    {
        if (Path.Exists(path))
        {
            throw new DkimKeyException($"{path} exists already; an existing key is never overwritten (move it away yourself if you really mean to replace it)");
        }

        var folder = Path.GetDirectoryName(path)!;
        CreateFolders(folder, owner);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            // The umask may have taken bits away; the owner must be able to read and write.
            File.SetUnixFileMode(temporary, OwnerOnly);
            owner?.Own(temporary);
            if (!Posix.TryLinkNew(temporary, path, out var error))
            {
                throw new DkimKeyException($"cannot create {path}: {error}; an existing key is never overwritten");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DkimKeyException($"cannot write the key file {path}: {e.Message}", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void CreateFolders(string folder, SystemAccount? owner)
    {
        var missing = new Stack<string>();
        for (var dir = folder; !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        try
        {
            while (missing.TryPop(out var dir))
            {
                Directory.CreateDirectory(dir, FolderMode);
                File.SetUnixFileMode(dir, FolderMode);
                owner?.Own(dir);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DkimKeyException($"cannot create the key folder {folder}: {e.Message}", e);
        }
    }
}
