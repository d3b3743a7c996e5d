using UcsMailConfig.Files;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dkim;

/// <summary>
/// Opens the folder a key lies in by walking from the root down, one folder at a time, each
/// opened relative to the one above with O_NOFOLLOW: a symlink anywhere on the way stops the
/// walk. Contract: every folder from the root down must be owned by us (root) and writable by
/// nobody else, or the key is refused with the commands that repair it. Missing folders are
/// created (when asked) root:opendkim 0750 at and below the key folder, root:root 0755 above it
/// (etc/opendkim holds root's tables), owner and mode set on the new folder's descriptor.
/// </summary>
internal static class KeyFolderWalk
{
    private const UnixFileMode KeyFolderMode = (UnixFileMode)0b111_101_000;
    private const UnixFileMode OuterFolderMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// The open folder that holds <paramref name="keyPath"/> (a server path below
    /// <paramref name="keyFolder"/>), or null when a folder on the way is missing and
    /// <paramref name="create"/> is false.
    /// </summary>
    /// <exception cref="UnsafeDkimKeyException">a folder on the way is a symlink, not a folder, or changeable by others.</exception>
    /// <exception cref="DkimKeyException">a folder cannot be opened or created.</exception>
    public static Descriptor? Open(string? root, string keyFolder, string keyPath, bool create, SystemAccount? openDkim)
    {
        if (!KeyFolder.IsBelow(keyFolder, keyPath))
        {
            throw new DkimKeyException($"the key file {keyPath} is outside the key folder {keyFolder}");
        }

        var rootPath = string.IsNullOrEmpty(root) ? "/" : Path.GetFullPath(root);
        var names = Path.GetDirectoryName(keyPath)!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var keyFolderDepth = keyFolder.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        var shown = rootPath;
        Descriptor? current;
        try
        {
            current = Posix.OpenRoot(rootPath);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile && !create)
        {
            return null;
        }
        catch (PosixException e)
        {
            throw new DkimKeyException($"{e.Message}; --root must name an existing folder", e);
        }

        try
        {
            CheckFolder(current, shown, isKeyFolder: false);
            for (var i = 0; i < names.Length; i++)
            {
                shown = Path.Join(shown, names[i]);
                var isKeyFolder = i + 1 >= keyFolderDepth;
                var next = OpenOrCreate(current, names[i], shown, create, isKeyFolder, openDkim);
                current.Dispose();
                current = next;
                if (current is null)
                {
                    return null;
                }

                CheckFolder(current, shown, isKeyFolder);
            }

            return current;
        }
        catch
        {
            current?.Dispose();
            throw;
        }
    }

    private static Descriptor? OpenOrCreate(Descriptor parent, string name, string shown, bool create, bool isKeyFolder, SystemAccount? openDkim)
    {
        try
        {
            return Posix.OpenFolderAt(parent, name, shown);
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile && create)
        {
            // Created 0700 and only then given its group and mode, so nobody else can use it before.
            if (!Posix.TryMakeFolderAt(parent, name, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, out var errno) && errno != Posix.Exists)
            {
                throw new DkimKeyException($"cannot create the key folder {shown}: {Posix.Describe(errno)}");
            }

            var created = Guard(() => Posix.OpenFolderAt(parent, name, shown));
            try
            {
                if (errno == 0)
                {
                    var group = isKeyFolder ? openDkim?.GroupId ?? 0 : 0;
                    Guard(() => Posix.SetOwnerAndMode(created, Posix.EffectiveUserId, group, isKeyFolder ? KeyFolderMode : OuterFolderMode, shown));
                }

                return created;
            }
            catch
            {
                created.Dispose();
                throw;
            }
        }
        catch (PosixException e) when (e.Errno == Posix.NoSuchFile)
        {
            return null;
        }
        catch (PosixException e) when (e.Errno is Posix.TooManySymlinks or Posix.NotADirectory)
        {
            throw new UnsafeDkimKeyException($"{shown} is a symlink or not a folder; DKIM keys are only used in real folders that only root can change: replace it with a folder ({Repair(shown, isKeyFolder)})");
        }
        catch (PosixException e)
        {
            throw new DkimKeyException(e.Message, e);
        }
    }

    private static void CheckFolder(Descriptor folder, string shown, bool isKeyFolder)
    {
        var status = Guard(() => Posix.Status(folder, shown));
        var owner = status.UserId == Posix.EffectiveUserId;
        var othersWrite = (status.Permissions & OthersWrite) != 0;
        if (owner && !othersWrite)
        {
            return;
        }

        var why = owner ? "is writable by its group or others" : $"is owned by {SystemAccount.NameOf(status.UserId)}, not root";
        throw new UnsafeDkimKeyException($"the folder {shown} {why}, so someone other than root could swap the DKIM keys below it; nothing was changed; repair it with: {Repair(shown, isKeyFolder)}");
    }

    /// <summary>The commands that give a folder the owner and mode this walk expects.</summary>
    private static string Repair(string shown, bool isKeyFolder) => isKeyFolder
        ? $"chown root:opendkim {shown} && chmod 0750 {shown}"
        : $"chown root:root {shown} && chmod go-w {shown}";

    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (PosixException e)
        {
            throw new DkimKeyException(e.Message, e);
        }
    }

    private static void Guard(Action call) => Guard(() => { call(); return 0; });
}
