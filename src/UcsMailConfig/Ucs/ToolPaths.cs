namespace UcsMailConfig.Ucs;

/// <summary>
/// Where the external programs are. Defaults are the paths on UCS 5 (Debian 12); each can
/// be changed by an environment variable (UCSMAIL_UCR, UCSMAIL_POSTCONF, UCSMAIL_POSTFIX,
/// UCSMAIL_OPENDKIM, UCSMAIL_POSTQUEUE, UCSMAIL_SYSTEMCTL, UCSMAIL_POSTMAP, UCSMAIL_DPKG_QUERY)
/// or by the caller, for tests and unusual installs. A program's option is <c>--NAME</c> and
/// its variable <c>UCSMAIL_NAME</c> (upper case, '-' as '_'): <see cref="Option"/> and
/// <see cref="Variable"/> say so in one place.
/// </summary>
public sealed record ToolPaths(string Ucr, string Postconf, string Postfix, string OpenDkim, string Postqueue, string Systemctl, string Postmap, string DpkgQuery)
{
    public static readonly ToolPaths Defaults = new(
        "/usr/sbin/ucr", "/usr/sbin/postconf", "/usr/sbin/postfix", "/usr/sbin/opendkim", "/usr/sbin/postqueue", "/usr/bin/systemctl",
        "/usr/sbin/postmap", "/usr/bin/dpkg-query");

    /// <summary>The defaults, overridden by whichever UCSMAIL_* variables are set.</summary>
    public static ToolPaths FromEnvironment(Func<string, string?> environment) => new(
        environment(Variable("ucr")) ?? Defaults.Ucr,
        environment(Variable("postconf")) ?? Defaults.Postconf,
        environment(Variable("postfix")) ?? Defaults.Postfix,
        environment(Variable("opendkim")) ?? Defaults.OpenDkim,
        environment(Variable("postqueue")) ?? Defaults.Postqueue,
        environment(Variable("systemctl")) ?? Defaults.Systemctl,
        environment(Variable("postmap")) ?? Defaults.Postmap,
        environment(Variable("dpkg-query")) ?? Defaults.DpkgQuery);

    /// <summary>The command-line option that points at the program <paramref name="name"/>.</summary>
    public static string Option(string name) => "--" + name;

    /// <summary>The environment variable that points at the program <paramref name="name"/>.</summary>
    public static string Variable(string name) => "UCSMAIL_" + name.ToUpperInvariant().Replace('-', '_');

    /// <summary>Each program by its name, with its path.</summary>
    public IEnumerable<(string Name, string Path)> All =>
    [
        ("ucr", Ucr), ("postconf", Postconf), ("postfix", Postfix), ("opendkim", OpenDkim),
        ("postqueue", Postqueue), ("systemctl", Systemctl), ("postmap", Postmap), ("dpkg-query", DpkgQuery),
    ];
}
