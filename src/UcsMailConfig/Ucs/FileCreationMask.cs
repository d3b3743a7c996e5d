using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The process's umask, set once at start: 022, so that nothing the tool or a program it runs
/// creates is writable by others whatever the caller's umask. Secret files are created 0600
/// on their descriptor on top of this.
/// </summary>
public static class FileCreationMask
{
    public static void Apply() => Posix.SetCreationMask(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
}
