using System.CommandLine;
using UcsMailConfig.Rendering;

namespace UcsMailConfig.Cli;

/// <summary>
/// <c>render POLICY --out DIR</c>: write the generated files below DIR as they would land below
/// the server's root. Writes into a fresh sibling folder first and moves it into place, so DIR
/// holds either the old or the complete new output, never a mix.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var output = new Option<string>("--out", "-o") { Description = "The folder to write to; it must not exist or be empty, unless --force", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the contents of a non-empty --out folder" };
        var command = new Command("render", "Render a policy into UCR templates, .info registration and UCR variable settings, below DIR.") { policy, output, force };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policy);
            var directory = Path.GetFullPath(parse.GetRequiredValue(output));
            if (PolicyInput.Load(path, terminal) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !parse.GetValue(force))
            {
                stderr.WriteLine($"{directory}: error: the folder is not empty; choose another --out or add --force to replace its contents");
                return ExitCodes.InvalidInput;
            }

            var tree = TreeRenderer.Render(RenderModelDeriver.Derive(loaded.Policy));
            Replace(directory, tree);
            foreach (var file in tree.Files.Keys)
            {
                stdout.WriteLine(Path.Combine(directory, file));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Replace(string directory, RenderedTree tree)
    {
        var staging = $"{directory}.rendering-{Environment.ProcessId}";
        var old = $"{directory}.old-{Environment.ProcessId}";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        tree.WriteTo(staging);
        if (Directory.Exists(directory))
        {
            Directory.Move(directory, old);
        }

        Directory.Move(staging, directory);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }
}
