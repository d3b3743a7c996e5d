using System.Runtime.InteropServices;

namespace UcsMailConfig.Dkim;

/// <summary>
/// The three system calls key files need and .NET does not offer: chown, link (which creates
/// a name only if it is free, so a key can never replace another) and geteuid.
/// </summary>
internal static class Posix
{
    /// <summary>Only root may give a file away; anyone else keeps what they create.</summary>
    public static bool IsRoot => geteuid() == 0;

    public static void Chown(string path, uint userId, uint groupId)
    {
        if (chown(path, userId, groupId) != 0)
        {
            throw new IOException($"cannot change the owner of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    /// <summary>Adds the name <paramref name="newPath"/> for <paramref name="existingPath"/>; false, and nothing changed, when that name is taken.</summary>
    public static bool TryLinkNew(string existingPath, string newPath, out string error)
    {
        var ok = link(existingPath, newPath) == 0;
        error = ok ? "" : Marshal.GetLastPInvokeErrorMessage();
        return ok;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc")]
    private static extern uint geteuid();
}
