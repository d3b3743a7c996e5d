using System.Runtime.InteropServices;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The descriptor-based system calls .NET does not offer (openat, renameat, fstat's owner,
/// fchmod, flock, umask). Every call returns -1 and sets errno on failure; <see cref="Error"/>
/// turns that into one line. Flag values and the stat layout are Linux x86_64's (the package is amd64).
/// </summary>
internal static partial class Libc
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int ReadWrite = 2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int Append = 0x400;
    public const int Directory = 0x10000;
    public const int NoFollow = 0x20000;
    public const int CloseOnExec = 0x80000;
    public const int AtFdCwd = -100;

    public const int LockShared = 1;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    public const int NoSuchFile = 2;
    public const int FileExists = 17;
    public const int WouldBlock = 11;
    public const int TooManyLinks = 40;

    /// <summary>Type and owner of an open file, from fstat.</summary>
    public readonly record struct FileStatus(uint Mode, uint Owner)
    {
        public bool IsDirectory => (Mode & 0xF000) == 0x4000;

        public bool IsRegularFile => (Mode & 0xF000) == 0x8000;

        public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    public static string Error(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    public static FileStatus Status(int descriptor, string pathForMessages)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Fstat(descriptor, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            throw new IOException($"cannot read the owner and mode of {pathForMessages}: {Error(LastError)}");
        }

        // struct stat on x86_64: st_mode at byte 24, st_uid at 28.
        return new FileStatus(BitConverter.ToUInt32(buffer[24..]), BitConverter.ToUInt32(buffer[28..]));
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string name, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(int directory, string name, int mode);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int directory, string name, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int Fstat(int descriptor, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int descriptor, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int descriptor, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial int Umask(int mask);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint Geteuid();
}
