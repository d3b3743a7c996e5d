namespace UcsMailConfig.Policy.Values;

/// <summary>
/// The one folder below which every DKIM private key lies (<c>dkim.key_folder</c>). Contract:
/// a key folder is a safe absolute path that is neither a system folder nor in or around a
/// place the tool or the system keeps other files (the UCR templates, our state, Postfix's
/// files, OpenDKIM's own tables, home folders), so no key path below it can name a file the
/// tool renders or manages; the tests check that against every rendered template.
/// </summary>
public static class KeyFolder
{
    public const string Default = "/etc/opendkim/keys";

    public const string Expectation = "an absolute folder of its own for the private keys, e.g. /etc/opendkim/keys";

    // A key folder may not be one of these (keys would lie beside the system's own files)...
    private static readonly string[] SystemFolders =
    [
        "/etc", "/var", "/var/lib", "/var/spool", "/srv", "/opt", "/mnt", "/media", "/usr/local",
        // OpenDKIM's KeyTable, SigningTable, TrustedHosts and InternalHosts: root's, rendered by us.
        "/etc/opendkim",
    ];

    // ...nor lie in or above one of these.
    private static readonly string[] ForeignTrees =
    [
        "/bin", "/boot", "/dev", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
        "/sbin", "/sys", "/tmp", "/usr", "/var/tmp", "/var/log", "/var/mail", "/var/spool/postfix",
        "/etc/univention", "/var/lib/univention-config-registry", "/var/lib/ucs-mail-config",
        "/etc/postfix", "/etc/kopano", "/etc/ssh", "/etc/cron.d", "/etc/cron.daily", "/etc/cron.hourly",
        "/etc/cron.weekly", "/etc/cron.monthly", "/etc/sudoers.d", "/etc/pam.d", "/etc/systemd", "/etc/init.d",
        "/etc/default", "/etc/ssl", "/etc/security", "/etc/apt", "/etc/ld.so.conf.d", "/etc/profile.d",
    ];

    /// <summary>Why <paramref name="folder"/> cannot hold keys, or null when it can.</summary>
    public static string? Problem(string folder)
    {
        if (!FilePath.IsSafeAbsolute(folder))
        {
            return folder == "/" ? "/ is the whole system" : $"it is not {FilePath.Expectation}";
        }

        if (Array.IndexOf(SystemFolders, folder) >= 0)
        {
            return $"{folder} is a system folder with other files in it";
        }

        foreach (var tree in ForeignTrees)
        {
            if (folder == tree || IsBelow(tree, folder))
            {
                return $"it lies in {tree}, which holds files that are not DKIM keys";
            }

            if (IsBelow(folder, tree))
            {
                return $"it holds {tree}, whose files are not DKIM keys";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="path"/> lies strictly below <paramref name="folder"/>.</summary>
    public static bool IsBelow(string folder, string path) =>
        path.Length > folder.Length + 1 && path[folder.Length] == '/' && path.StartsWith(folder, StringComparison.Ordinal);
}
