using System.CommandLine;
using UcsMailConfig.Ucs;

namespace UcsMailConfig.Cli;

/// <summary>
/// The options every command that looks at a host shares: the root, and where each external
/// program is (option, else UCSMAIL_* environment variable, else the UCS default).
/// </summary>
internal sealed class HostOptions
{
    public Option<string> Root { get; } = new("--root") { HelpName = ValueNames.Folder, Description = "The host's root folder (a sandbox for tests and reviews)", DefaultValueFactory = _ => "/" };

    private readonly Option<string?> _ucr = new("--ucr") { HelpName = ValueNames.Program, Description = "Path of ucr (default: $UCSMAIL_UCR or /usr/sbin/ucr)" };
    private readonly Option<string?> _postconf = new("--postconf") { HelpName = ValueNames.Program, Description = "Path of postconf (default: $UCSMAIL_POSTCONF or /usr/sbin/postconf)" };
    private readonly Option<string?> _postfix = new("--postfix") { HelpName = ValueNames.Program, Description = "Path of postfix (default: $UCSMAIL_POSTFIX or /usr/sbin/postfix)" };
    private readonly Option<string?> _opendkim = new("--opendkim") { HelpName = ValueNames.Program, Description = "Path of opendkim (default: $UCSMAIL_OPENDKIM or /usr/sbin/opendkim)" };
    private readonly Option<string?> _postqueue = new("--postqueue") { HelpName = ValueNames.Program, Description = "Path of postqueue (default: $UCSMAIL_POSTQUEUE or /usr/sbin/postqueue)" };
    private readonly Option<string?> _systemctl = new("--systemctl") { HelpName = ValueNames.Program, Description = "Path of systemctl (default: $UCSMAIL_SYSTEMCTL or /usr/bin/systemctl)" };
    private readonly Option<string?> _postmap = new("--postmap") { HelpName = ValueNames.Program, Description = "Path of postmap (default: $UCSMAIL_POSTMAP or /usr/sbin/postmap)" };
    private readonly Option<string?> _dpkgQuery = new("--dpkg-query") { HelpName = ValueNames.Program, Description = "Path of dpkg-query (default: $UCSMAIL_DPKG_QUERY or /usr/bin/dpkg-query)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Root, _ucr, _postconf, _postfix, _opendkim, _postqueue, _systemctl, _postmap, _dpkgQuery })
        {
            command.Add(option);
        }
    }

    public ToolPaths Tools(ParseResult parse)
    {
        var fromEnvironment = ToolPaths.FromEnvironment(Environment.GetEnvironmentVariable);
        return new ToolPaths(
            parse.GetValue(_ucr) ?? fromEnvironment.Ucr,
            parse.GetValue(_postconf) ?? fromEnvironment.Postconf,
            parse.GetValue(_postfix) ?? fromEnvironment.Postfix,
            parse.GetValue(_opendkim) ?? fromEnvironment.OpenDkim,
            parse.GetValue(_postqueue) ?? fromEnvironment.Postqueue,
            parse.GetValue(_systemctl) ?? fromEnvironment.Systemctl,
            parse.GetValue(_postmap) ?? fromEnvironment.Postmap,
            parse.GetValue(_dpkgQuery) ?? fromEnvironment.DpkgQuery);
    }
}
