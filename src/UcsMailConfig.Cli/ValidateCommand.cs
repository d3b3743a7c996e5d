using System.CommandLine;

namespace UcsMailConfig.Cli;

/// <summary><c>validate POLICY</c>: report every problem in the policy; write nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create(Terminal terminal)
    {
        var (stdout, stderr) = (terminal.Out, terminal.Error);
        var policy = PolicyInput.CreateArgument();
        var command = new Command("validate", "Check a policy file and report every problem as FILE:LINE:COL. Exit 0 when valid, 1 when not.") { policy };
        command.SetAction(parse =>
        {
            var path = parse.GetRequiredValue(policy);
            if (PolicyInput.Load(path, terminal) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            var model = loaded.Policy;
            stdout.WriteLine($"{loaded.Name}: valid ({model.Domains.Length} domain(s), DKIM {(model.Dkim.Enabled ? "on" : "off")})");
            return ExitCodes.Success;
        });
        return command;
    }
}
