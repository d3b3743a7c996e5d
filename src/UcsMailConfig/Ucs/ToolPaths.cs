namespace UcsMailConfig.Ucs;

/// <summary>
/// Where the external programs are. Defaults are the paths on UCS 5 (Debian 12); each can
/// be changed by an environment variable (UCSMAIL_UCR, UCSMAIL_POSTCONF, UCSMAIL_POSTFIX,
/// UCSMAIL_OPENDKIM, UCSMAIL_POSTQUEUE, UCSMAIL_SYSTEMCTL, UCSMAIL_POSTMAP, UCSMAIL_DPKG_QUERY)
/// or by the caller, for tests and unusual installs.
/// </summary>
public sealed record ToolPaths(string Ucr, string Postconf, string Postfix, string OpenDkim, string Postqueue, string Systemctl, string Postmap, string DpkgQuery)
{
    public static readonly ToolPaths Defaults = new(
        "/usr/sbin/ucr", "/usr/sbin/postconf", "/usr/sbin/postfix", "/usr/sbin/opendkim", "/usr/sbin/postqueue", "/usr/bin/systemctl",
        "/usr/sbin/postmap", "/usr/bin/dpkg-query");

    /// <summary>The defaults, overridden by whichever UCSMAIL_* variables are set.</summary>
    public static ToolPaths FromEnvironment(Func<string, string?> environment) => new(
        environment("UCSMAIL_UCR") ?? Defaults.Ucr,
        environment("UCSMAIL_POSTCONF") ?? Defaults.Postconf,
        environment("UCSMAIL_POSTFIX") ?? Defaults.Postfix,
        environment("UCSMAIL_OPENDKIM") ?? Defaults.OpenDkim,
        environment("UCSMAIL_POSTQUEUE") ?? Defaults.Postqueue,
        environment("UCSMAIL_SYSTEMCTL") ?? Defaults.Systemctl,
        environment("UCSMAIL_POSTMAP") ?? Defaults.Postmap,
        environment("UCSMAIL_DPKG_QUERY") ?? Defaults.DpkgQuery);
}
