namespace UcsMailConfig.Ucs;

/// <summary>
/// Asks dpkg which kopano-webapp-plugin-smime is installed, and says so when it is older than
/// the first version that signs and encrypts mail correctly for Outlook. Only asked when the
/// policy configures the plugin. Returns warnings and notes; never fails the apply, because an
/// old plugin with a strong cipher is still better than an old plugin with 3DES.
/// </summary>
internal static class SmimePluginCheck
{
    public const string Package = "kopano-webapp-plugin-smime";

    public static readonly DebianVersion FirstOutlookCompatible = DebianVersion.Parse("2.2.0.162");

    public static void Run(ToolPaths tools, CommandRunner runner, ICollection<string> warnings, ICollection<string> notes)
    {
        var query = runner.Run(tools.DpkgQuery, "-W", "-f=${db:Status-Status}\t${Version}", Package);
        var fields = query.StandardOutput.Trim().Split('\t');
        // Exit 1 with "no packages found" is dpkg's answer for a package it has never seen; a removed
        // package keeps its version but has a status other than "installed".
        if (!query.Succeeded || fields is not ["installed", { Length: > 0 } version])
        {
            notes.Add($"{Package} is not installed; /etc/kopano/webapp/config-smime.php takes effect once it is");
            return;
        }

        var installed = DebianVersion.Parse(version);
        if (installed < FirstOutlookCompatible)
        {
            warnings.Add($"{Package} {installed} is installed, which is older than {FirstOutlookCompatible}, the first version that signs and encrypts mail correctly for Outlook recipients; upgrade it (apt-get install --only-upgrade {Package}). The configured cipher applies either way");
        }
    }
}
