using System.CommandLine;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>render POLICY --out DIR [--force]</c>: write the generated files below DIR as they would
/// land below the server's root. DIR must be new or empty; --force replaces what an earlier
/// render wrote there and nothing else (<see cref="RenderOutput"/>).
/// </summary>
internal static class RenderCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var output = new Option<string>("--out", "-o") { HelpName = ValueNames.Folder, Description = "The folder to write to; it must not exist or be empty, unless --force", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace what an earlier render wrote into --out (listed in its .ucs-mail-config-render); refuses a folder holding anything else" };
        var command = new Command("render", "Render a policy into UCR templates, .info registration and UCR variable settings, below DIR.") { policy, output, force };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policy);
            var directory = Path.GetFullPath(parse.GetRequiredValue(output));
            if (PolicyInput.Load(path, terminal) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            var tree = MailPolicyPipeline.Render(loaded.Policy).Tree;
            try
            {
                RenderOutput.Write(directory, tree, parse.GetValue(force));
            }
            catch (RenderOutputException e)
            {
                stderr.WriteLine($"{directory}: error: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            foreach (var file in tree.Files.Keys)
            {
                stdout.WriteLine(Path.Combine(directory, file));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
