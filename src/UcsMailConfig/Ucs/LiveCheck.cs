using UcsMailConfig.Files;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Checks the configuration UCR generated, with the real tools, before services are reloaded:
/// <c>postfix check</c>, <c>postconf -n</c> without a single warning, <c>opendkim -n</c>.
/// Returns the failing command, or null. Below a root other than '/', opendkim.conf names
/// its tables by their absolute /etc paths, so a copy that names them below the root is checked.
/// </summary>
internal static class LiveCheck
{
    public static CommandRecord? Run(ApplyPlan plan, string root, ToolPaths tools, CommandRunner runner)
    {
        var postfixDirectory = Path.Combine(root, "etc/postfix");
        if (plan.TouchesPostfix)
        {
            var check = runner.Run(tools.Postfix, "-c", postfixDirectory, "check");
            if (!check.Succeeded)
            {
                return check;
            }

            var postconf = runner.Run(tools.Postconf, "-c", postfixDirectory, "-n");
            if (!postconf.Succeeded || postconf.StandardError.Length > 0)
            {
                return postconf;
            }
        }

        var conf = Path.Combine(root, "etc/opendkim.conf");
        if (plan.TouchesOpenDkim && TrustedRead.Text(root, "etc/opendkim.conf") is { } confText)
        {
            if (Path.GetFullPath(root) == "/")
            {
                var direct = runner.Run(tools.OpenDkim, "-n", "-x", conf);
                return direct.Succeeded ? null : direct;
            }

            // A folder of its own: applies to other roots may run in the same process (tests) or at the same time.
            var folder = Directory.CreateTempSubdirectory("ucs-mail-config-live-").FullName;
            var relocated = Path.Combine(folder, "opendkim.conf");
            try
            {
                File.WriteAllText(relocated, confText.Replace("/etc/opendkim/", Path.Combine(root, "etc/opendkim") + "/", StringComparison.Ordinal));
                var check = runner.Run(tools.OpenDkim, "-n", "-x", relocated);
                return check.Succeeded ? null : check;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return null;
    }
}
