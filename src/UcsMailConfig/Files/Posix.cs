using System.Runtime.InteropServices;

namespace UcsMailConfig.Files;

/// <summary>
/// The one syscall layer: what .NET does not offer for files root writes. Everything relative
/// to an open folder descriptor (openat, mkdirat, linkat, renameat2, unlinkat), owner and mode
/// set and read on a descriptor (fchown, fchmod, statx), flock, umask and geteuid. A name is
/// never looked up twice, so a symlink swapped in between cannot redirect what root does.
/// Linux only; flag values are per architecture (x86-64 and arm64), statx's layout is the same
/// on both. Failures are <see cref="PosixException"/>, one line naming the path.
/// </summary>
internal static partial class Posix
{
    public const int NoSuchFile = 2;
    public const int PermissionDenied = 13;
    public const int WouldBlock = 11;
    public const int Exists = 17;
    public const int NotADirectory = 20;
    public const int IsADirectory = 21;
    public const int NotEmpty = 39;
    public const int TooManySymlinks = 40;

    // Access modes and the flags callers may add (the same values on every Linux architecture).
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int ReadWrite = 2;
    public const int Append = 0x400;

    public const int LockShared = 1;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int SymlinkNoFollow = 0x100;
    private const int RemoveFolder = 0x200;
    private const uint RenameNoReplace = 1;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff;

    // The only flags whose values differ between the two architectures .NET runs UCS on.
    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int DirectoryOnly = Arm ? 0x4000 : 0x10000;
    private static readonly int NoFollow = Arm ? 0x8000 : 0x20000;

    /// <summary>Only root may give a file away; anyone else keeps what they create.</summary>
    public static bool IsRoot => geteuid() == 0;

    public static uint EffectiveUserId => geteuid();

    /// <summary>Opens the folder the caller named (the tool's root); a symlink there is the admin's choice and is followed.</summary>
    public static Descriptor OpenRoot(string path) =>
        Check(open(path, ReadOnly | DirectoryOnly | CloseOnExec), path);

    /// <summary>Opens <paramref name="name"/> in <paramref name="folder"/> with <paramref name="access"/> (<see cref="ReadOnly"/>… and <see cref="Append"/>), never through a symlink; with <paramref name="create"/> a missing file is made with <paramref name="mode"/>.</summary>
    public static Descriptor OpenAt(Descriptor folder, string name, int access, bool create, UnixFileMode mode, string shownAs) =>
        Check(openat(folder.Value, name, access | NoFollow | NoControllingTerminal | CloseOnExec | (create ? Create : 0), (uint)mode), shownAs);

    /// <summary>Opens the folder <paramref name="name"/> in <paramref name="folder"/>; fails on a symlink or a non-folder.</summary>
    public static Descriptor OpenFolderAt(Descriptor folder, string name, string shownAs) =>
        Check(openat(folder.Value, name, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0), shownAs);

    /// <summary>Opens an existing file for reading; fails on a symlink, and never blocks on a FIFO.</summary>
    public static Descriptor OpenFileAt(Descriptor folder, string name, string shownAs) =>
        Check(openat(folder.Value, name, ReadOnly | NoFollow | NoControllingTerminal | NonBlocking | CloseOnExec, 0), shownAs);

    /// <summary>Creates a new file for writing; fails when the name exists in any form, a symlink included.</summary>
    public static Descriptor CreateFileAt(Descriptor folder, string name, UnixFileMode mode, string shownAs) =>
        Check(openat(folder.Value, name, WriteOnly | Create | Exclusive | NoFollow | NoControllingTerminal | CloseOnExec, (uint)mode), shownAs);

    /// <summary>Creates a folder; false (errno <see cref="Exists"/>) when the name is taken.</summary>
    public static bool TryMakeFolderAt(Descriptor folder, string name, UnixFileMode mode, out int errno)
    {
        var ok = mkdirat(folder.Value, name, (uint)mode) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>Creates a folder; fails when the name is taken in any form (a symlink is never followed).</summary>
    public static void MakeFolderAt(Descriptor folder, string name, UnixFileMode mode, string shownAs)
    {
        if (mkdirat(folder.Value, name, (uint)mode) != 0)
        {
            throw Failure("cannot create the folder", shownAs);
        }
    }

    public static FileStatus Status(Descriptor descriptor, string shownAs) =>
        StatusAt(descriptor, "", EmptyPath, shownAs);

    /// <summary>Owner, type and mode of the entry <paramref name="name"/> itself (a symlink is not followed).</summary>
    public static FileStatus EntryStatus(Descriptor folder, string name, string shownAs) =>
        StatusAt(folder, name, SymlinkNoFollow, shownAs);

    /// <summary>The names in an open folder, without "." and "..".</summary>
    public static IEnumerable<string> Names(Descriptor folder) =>
        // The kernel's link for the descriptor is the folder itself, whatever its path now says.
        Directory.EnumerateFileSystemEntries($"/proc/self/fd/{folder.Value}").Select(Path.GetFileName)!;

    /// <summary>Renames within or between open folders; a symlink at <paramref name="to"/> is replaced, never followed. With <paramref name="noReplace"/> an existing <paramref name="to"/> of any kind makes it fail.</summary>
    public static void RenameAt(Descriptor fromFolder, string from, Descriptor toFolder, string to, bool noReplace, string shownAs)
    {
        if (renameat2(fromFolder.Value, from, toFolder.Value, to, noReplace ? RenameNoReplace : 0) != 0)
        {
            throw Failure("cannot move into place", shownAs);
        }
    }

    /// <summary>Removes the empty folder <paramref name="name"/>; errno on failure (<see cref="NotEmpty"/> when it holds anything), 0 on success.</summary>
    public static int TryRemoveFolderAt(Descriptor folder, string name) =>
        unlinkat(folder.Value, name, RemoveFolder) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Removes the entry <paramref name="name"/> (a symlink itself, never its target); errno on failure, 0 on success.</summary>
    public static int TryUnlinkAt(Descriptor folder, string name) =>
        unlinkat(folder.Value, name, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>flock on an open file; false (errno <see cref="WouldBlock"/>) when <see cref="LockNonBlocking"/> and someone else holds it.</summary>
    public static bool TryLock(Microsoft.Win32.SafeHandles.SafeFileHandle file, int operation, out int errno)
    {
        var ok = flock((int)file.DangerousGetHandle(), operation) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>Sets the process's file creation mask.</summary>
    public static void SetCreationMask(UnixFileMode mask) => umask((uint)mask);

    private static FileStatus StatusAt(Descriptor folder, string name, int flags, string shownAs)
    {
        if (statx(folder.Value, name, flags, BasicStats, out var status) != 0)
        {
            throw Failure("cannot read the owner and mode of", shownAs);
        }

        return new FileStatus(status.Uid, status.Gid, status.Mode);
    }

    public static void SetMode(Descriptor descriptor, UnixFileMode mode, string shownAs)
    {
        if (fchmod(descriptor.Value, (uint)mode) != 0)
        {
            throw Failure("cannot change the mode of", shownAs);
        }
    }

    public static void SetOwnerAndMode(Descriptor descriptor, uint userId, uint groupId, UnixFileMode mode, string shownAs)
    {
        // Owner first: fchown clears setuid/setgid bits, fchmod then sets exactly what we want.
        if (IsRoot && fchown(descriptor.Value, userId, groupId) != 0)
        {
            throw Failure("cannot change the owner of", shownAs);
        }

        SetMode(descriptor, mode, shownAs);
    }

    public static void Sync(Descriptor descriptor, string shownAs)
    {
        if (fsync(descriptor.Value) != 0)
        {
            throw Failure("cannot flush", shownAs);
        }
    }

    /// <summary>Adds the name <paramref name="newName"/> for <paramref name="existingName"/> in the same folder; false, nothing changed, when it is taken (errno <see cref="Exists"/>) or cannot be made.</summary>
    public static bool TryLinkAt(Descriptor folder, string existingName, string newName, out int errno)
    {
        var ok = linkat(folder.Value, existingName, folder.Value, newName, 0) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>Removes the entry if it is there, for cleaning up; use <see cref="TryUnlinkAt"/> where a failure matters.</summary>
    public static void UnlinkAt(Descriptor folder, string name) => TryUnlinkAt(folder, name);

    private static Descriptor Check(int value, string shownAs) =>
        value >= 0 ? new Descriptor(value) : throw Failure("cannot open", shownAs);

    private static PosixException Failure(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new PosixException($"{what} {path}: {Marshal.GetLastPInvokeErrorMessage()}", errno);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int openat(int folder, string name, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(int folder, string name, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int oldFolder, string oldName, int newFolder, string newName, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldFolder, string oldName, int newFolder, string newName, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int descriptor, int operation);

    [LibraryImport("libc")]
    private static partial uint umask(uint mask);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(int folder, string name, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int folder, string name, int flags, uint mask, out Statx status);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchown(int descriptor, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fchmod(int descriptor, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int descriptor);

    [LibraryImport("libc")]
    internal static partial int close(int descriptor);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    // struct statx (linux/stat.h): the same layout on every architecture, unlike struct stat.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(24)]
        public uint Gid;

        [FieldOffset(28)]
        public ushort Mode;
    }
}

/// <summary>An open file descriptor, closed on dispose unless <see cref="Release"/> handed it on.</summary>
internal sealed class Descriptor(int value) : IDisposable
{
    private bool _released;

    public int Value { get; } = value;

    /// <summary>A .NET handle for reading and writing through this descriptor (this object keeps owning it).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle Handle() => new(Value, ownsHandle: false);

    /// <summary>A .NET handle that owns the descriptor from now on (this object no longer closes it).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle Release()
    {
        _released = true;
        return new(Value, ownsHandle: true);
    }

    public void Dispose()
    {
        if (!_released)
        {
            Posix.close(Value);
        }
    }
}

/// <summary>Owner, group and mode of an open file; <see cref="Mode"/> holds the type bits too.</summary>
internal readonly record struct FileStatus(uint UserId, uint GroupId, uint Mode)
{
    private const uint TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
}

/// <summary>A system call failed; <see cref="Errno"/> says how.</summary>
internal sealed class PosixException(string message, int errno) : IOException(message)
{
    public int Errno { get; } = errno;
}
