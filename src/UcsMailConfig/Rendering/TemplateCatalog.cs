using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Rendering;

/// <summary>
/// Our templates and where their output lands. A template's path under <c>templates/</c> says
/// where its output goes below the target root: <c>files/</c> and <c>info/</c> mirror UCR's
/// template folder (<see cref="UcrTargets.TemplatesDirectory"/>, which owns what a source there
/// generates); <c>state/X</c> becomes <c>var/lib/ucs-mail-config/X</c>.
/// The templates are embedded in the library, so the binary needs nothing beside it.
/// </summary>
internal static class TemplateCatalog
{
    public const string MainCfFragment = "files/etc/postfix/main.cf.d/90_ucs-mail-config";
    public const string OpenDkimConf = "files/etc/opendkim.conf";
    public const string KeyTable = "files/etc/opendkim/KeyTable";
    public const string SigningTable = "files/etc/opendkim/SigningTable";
    public const string TrustedHosts = "files/etc/opendkim/TrustedHosts";
    public const string InternalHosts = "files/etc/opendkim/InternalHosts";
    public const string TlsPolicyMap = "files/etc/postfix/tls_policy_ucs-mail-config";
    public const string KopanoSmimeConfig = "files/etc/kopano/webapp/config-smime.php";
    public const string Info = "info/ucs-mail-config.info";
    public const string UcrVariables = "state/ucr-variables";
    public const string DnsZone = "state/dns/zone";
    public const string DnsPlain = "state/dns/plain";

    /// <summary>Every template there is; a file the tool manages is one of their outputs.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        MainCfFragment, OpenDkimConf, KeyTable, SigningTable, TrustedHosts, InternalHosts,
        TlsPolicyMap, KopanoSmimeConfig, Info, UcrVariables, DnsZone, DnsPlain,
    ];

    public const string StateDirectory = "var/lib/ucs-mail-config/";

    /// <summary>The path UCR knows a template's target by, without a leading slash (etc/opendkim.conf).</summary>
    public static string UcrPath(string template) =>
        UcrTargets.UcrPath(OutputPath(template)) ?? throw new ArgumentException($"{template} is not a UCR file template");

    /// <summary>Where the rendered template lands, relative to the target root.</summary>
    public static string OutputPath(string template) => template switch
    {
        _ when template.StartsWith("files/", StringComparison.Ordinal) || template.StartsWith("info/", StringComparison.Ordinal) => UcrTargets.TemplatesDirectory + template,
        _ when template.StartsWith("state/", StringComparison.Ordinal) => StateDirectory + template["state/".Length..],
        _ => throw new ArgumentException($"no output location for template {template}"),
    };

    /// <summary>The template's Scriban source.</summary>
    public static string Source(string template)
    {
        using var stream = typeof(TemplateCatalog).Assembly.GetManifestResourceStream($"templates/{template}.sbn")
            ?? throw new InvalidOperationException($"template {template}.sbn is not embedded in {typeof(TemplateCatalog).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
