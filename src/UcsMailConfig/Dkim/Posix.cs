using System.Runtime.InteropServices;

namespace UcsMailConfig.Dkim;

/// <summary>
/// The system calls key files need and .NET does not offer: everything relative to an open
/// folder descriptor (openat, mkdirat, linkat, unlinkat), owner and mode set and read on a
/// descriptor (fchown, fchmod, statx), and geteuid. A name is never looked up twice, so a
/// symlink swapped in between cannot redirect what root does. Linux only (x86-64 and arm64).
/// </summary>
internal static partial class Posix
{
    public const int NoSuchFile = 2;
    public const int Exists = 17;
    public const int NotADirectory = 20;
    public const int TooManySymlinks = 40;

    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
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

    public static FileStatus Status(Descriptor descriptor, string shownAs)
    {
        if (statx(descriptor.Value, "", EmptyPath, BasicStats, out var status) != 0)
        {
            throw Failure("cannot read the owner and mode of", shownAs);
        }

        return new FileStatus(status.Uid, status.Gid, status.Mode);
    }

    public static void SetOwnerAndMode(Descriptor descriptor, uint userId, uint groupId, UnixFileMode mode, string shownAs)
    {
        // Owner first: fchown clears setuid/setgid bits, fchmod then sets exactly what we want.
        if (IsRoot && fchown(descriptor.Value, userId, groupId) != 0)
        {
            throw Failure("cannot change the owner of", shownAs);
        }

        if (fchmod(descriptor.Value, (uint)mode) != 0)
        {
            throw Failure("cannot change the mode of", shownAs);
        }
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

    public static void UnlinkAt(Descriptor folder, string name) => unlinkat(folder.Value, name, 0);

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

/// <summary>An open file descriptor, closed on dispose.</summary>
internal sealed class Descriptor(int value) : IDisposable
{
    public int Value { get; } = value;

    /// <summary>A .NET handle for reading and writing through this descriptor (this object keeps owning it).</summary>
    public Microsoft.Win32.SafeHandles.SafeFileHandle Handle() => new(Value, ownsHandle: false);

    public void Dispose() => Posix.close(Value);
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
