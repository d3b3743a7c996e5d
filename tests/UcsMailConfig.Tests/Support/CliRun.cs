using UcsMailConfig.Cli;

namespace UcsMailConfig.Tests.Support;

/// <summary>The ucs-mail-config command, run in-process with captured output.</summary>
public sealed record CliResult(int Exit, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Exit}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

public static class CliRun
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}
