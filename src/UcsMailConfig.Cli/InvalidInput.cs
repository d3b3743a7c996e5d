namespace UcsMailConfig.Cli;

/// <summary>Reports bad input that does not come from the policy file (an option, a key file) and gives exit code 1.</summary>
internal static class InvalidInput
{
    public static int Report(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message}");
        return ExitCodes.InvalidInput;
    }
}
