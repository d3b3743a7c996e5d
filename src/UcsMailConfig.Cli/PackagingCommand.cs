using System.CommandLine;
using System.Reflection;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>packaging man-page|bash-completion</c>, hidden: writes the man page or the bash completion
/// script made from the command tree to stdout. packaging/build-deb.sh runs it on the binary it
/// ships, so what is installed describes exactly that binary.
/// </summary>
internal static class PackagingCommand
{
    public static Command Create(RootCommand root, TextWriter stdout)
    {
        var manPage = new Command("man-page", "Write the man page ucs-mail-config(1) in roff.");
        manPage.SetAction(_ =>
        {
            ManPage.Write(root, Version, stdout);
            return ExitCodes.Success;
        });
        var completion = new Command("bash-completion", "Write the bash completion script.");
        completion.SetAction(_ =>
        {
            BashCompletion.Write(root, stdout);
            return ExitCodes.Success;
        });
        return new Command("packaging", "Files the Debian package builds from the command definitions.") { Hidden = true, Subcommands = { manPage, completion } };
    }

    /// <summary>The version --version prints, without the source revision after '+'.</summary>
    public static string Version =>
        (typeof(PackagingCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0").Split('+')[0];
}
