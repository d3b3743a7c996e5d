using System.Security.Cryptography;
using UcsMailConfig.Files;

namespace UcsMailConfig.Dkim;

/// <summary>
/// Creates and reads private key files, only through descriptors of folders that
/// <see cref="KeyFolderWalk"/> opened and checked. Contract for a new key: created under a
/// temporary name with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, filled, given to opendkim:opendkim
/// and 0600 on its descriptor, flushed, then linked under its real name in the same folder
/// (which fails rather than replace anything); the temporary name is always removed. An
/// existing key is used only when it is a regular file (not a symlink), owned by root or
/// opendkim, with no group or other bit: OpenDKIM refuses a group-readable key when its group
/// has other members, and postfix joins that group for a UNIX milter socket.
/// </summary>
internal static class PrivateKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Larger than any RSA key OpenDKIM signs with (4096 bits take about 3.3 KB of PEM).</summary>
    private const int MaxBytes = 64 * 1024;

    public static void WriteNew(string? root, string keyFolder, string keyPath, ReadOnlySpan<byte> content, SystemAccount? owner)
    {
        var shown = DkimKeyStore.PathUnder(root, keyPath);
        var name = Path.GetFileName(keyPath);
        using var folder = KeyFolderWalk.Open(root, keyFolder, keyPath, create: true, owner)!;
        var temporary = $".{name}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}.tmp";
        try
        {
            using (var file = Posix.CreateFileAt(folder, temporary, OwnerOnly, shown))
            {
                using (var stream = new FileStream(file.Handle(), FileAccess.Write))
                {
                    stream.Write(content);
                }

                Posix.SetOwnerAndMode(file, owner?.UserId ?? Posix.EffectiveUserId, owner?.GroupId ?? 0, OwnerOnly, shown);
                Posix.Sync(file, shown);
            }

            if (!Posix.TryLinkAt(folder, temporary, name, out var errno))
            {
                throw new DkimKeyException(errno == Posix.Exists
                    ? $"{shown} exists already; an existing key is never overwritten (move it away yourself if you really mean to replace it)"
                    : $"cannot create {shown}: {Posix.Describe(errno)}");
            }

            Posix.Sync(folder, shown);
        }
        catch (IOException e)
        {
            throw new DkimKeyException($"cannot write the key file {shown}: {e.Message}", e);
        }
        finally
        {
            Posix.UnlinkAt(folder, temporary);
        }
    }

    /// <summary>The key file's bytes, or null when it (or a folder on the way) does not exist.</summary>
    /// <exception cref="UnsafeDkimKeyException">the key or a folder on the way is not safe to use.</exception>
    /// <exception cref="DkimKeyException">it cannot be read.</exception>
    public static byte[]? Read(string? root, string keyFolder, string keyPath, SystemAccount? openDkim)
    {
        var shown = DkimKeyStore.PathUnder(root, keyPath);
        using var folder = KeyFolderWalk.Open(root, keyFolder, keyPath, create: false, openDkim);
        if (folder is null)
        {
            return null;
        }

        Descriptor file;
        try
        {
            file = Posix.OpenFileAt(folder, Path.GetFileName(keyPath), shown);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
        {
            return null;
        }
        catch (PosixException e) when (e.Errno == Posix.TooManySymlinks)
        {
            throw new UnsafeDkimKeyException($"the key file {shown} is a symlink; OpenDKIM's keys are used only as real files: replace it with the key itself (cp --remove-destination \"$(readlink -f {shown})\" {shown} && chown opendkim:opendkim {shown} && chmod 0600 {shown})");
        }
        catch (PosixException e)
        {
            throw new DkimKeyException(e.Message, e);
        }

        using (file)
        {
            try
            {
                return ReadChecked(file, shown, openDkim);
            }
            catch (IOException e)
            {
                throw new DkimKeyException($"cannot read the key file {shown}: {e.Message}", e);
            }
        }
    }

    private static byte[] ReadChecked(Descriptor file, string shown, SystemAccount? openDkim)
    {
        var status = Posix.Status(file, shown);
        if (!status.IsRegularFile)
        {
            throw new UnsafeDkimKeyException($"the key file {shown} is not a regular file; point the selector at a PEM key file");
        }

        var trustedOwner = status.UserId == Posix.EffectiveUserId || status.UserId == 0 || status.UserId == openDkim?.UserId;
        if (!trustedOwner || (status.Permissions & ~OwnerOnly) != 0)
        {
            var why = trustedOwner
                ? $"has mode {Convert.ToString((int)status.Permissions, 8).PadLeft(4, '0')}, so others could read or change it"
                : $"is owned by {SystemAccount.NameOf(status.UserId)}, not opendkim or root";
            throw new UnsafeDkimKeyException($"the key file {shown} {why}; nothing was changed; repair it with: chown opendkim:opendkim {shown} && chmod 0600 {shown}");
        }

        using var stream = new FileStream(file.Handle(), FileAccess.Read);
        var buffer = new byte[MaxBytes + 1];
        try
        {
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return length <= MaxBytes
                ? buffer[..length]
                : throw new DkimKeyException($"the key file {shown} is larger than {MaxBytes} bytes, which no DKIM key is");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
