using System.CommandLine;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;

namespace UcsMailConfig.Cli;

/// <summary>The POLICY argument shared by the commands, and loading it with every finding printed.</summary>
internal static class PolicyInput
{
    public static Argument<string> CreateArgument() => new("POLICY") { Description = "The policy file, e.g. mail-policy.yaml" };

    /// <summary>Prints every diagnostic as FILE:LINE:COL to <paramref name="stderr"/>; returns the policy when valid.</summary>
    public static MailPolicy? Load(string path, TextWriter stderr)
    {
        PolicyLoadResult result;
        try
        {
            result = PolicyLoader.LoadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: error: cannot read the policy file: {e.Message}");
            return null;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            stderr.WriteLine(diagnostic.Format(path));
        }

        var errors = result.Diagnostics.Count(d => d.Severity == Severity.Error);
        if (errors > 0)
        {
            stderr.WriteLine($"{path}: {errors} error(s); nothing was written");
        }

        return result.Policy;
    }
}
