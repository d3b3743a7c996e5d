using System.CommandLine;
using UcsMailConfig.Policy.Validate;

namespace UcsMailConfig.Cli;

/// <summary><c>schema</c>: print the JSON Schema of mail-policy.yaml for editors.</summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("schema", "Print the JSON Schema of mail-policy.yaml (for editor completion and checks).");
        command.SetAction(_ =>
        {
            stdout.Write(JsonSchemaWriter.Write());
            return ExitCodes.Success;
        });
        return command;
    }
}
