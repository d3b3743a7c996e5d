using UcsMailConfig.Policy.Model;

namespace UcsMailConfig.Ucs;

/// <summary>
/// The programs an apply runs, checked before anything is written: a missing one would
/// otherwise be found half-way, after the templates were written, and take the rollback with
/// it. OpenDKIM is needed only for a policy with DKIM, dpkg-query only for one with S/MIME.
/// </summary>
internal static class RequiredPrograms
{
    /// <summary>One line per needed program that is not an executable file, naming how to point at it.</summary>
    public static IReadOnlyList<string> Missing(MailPolicy policy, ToolPaths tools) =>
    [
        .. tools.All
            .Where(t => t.Name switch
            {
                "opendkim" => policy.Dkim.Enabled,
                "dpkg-query" => policy.Smime is not null,
                _ => true,
            })
            .Where(t => !IsExecutable(t.Path))
            .Select(t => $"apply needs {t.Name}, but {t.Path} is not an executable file; install it, or point {ToolPaths.Option(t.Name)} or {ToolPaths.Variable(t.Name)} at it. Nothing was changed"),
    ];

    // A bare name is looked up in PATH, as starting it would.
    private static bool IsExecutable(string path) =>
        (path.Contains('/') ? [path] : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, path)))
            .Any(p => File.Exists(p) && (File.GetUnixFileMode(p) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
