using System.CommandLine;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Cli;

/// <summary>The options the key and DNS commands share, with one wording everywhere.</summary>
internal static class KeyOptions
{
    public static Option<string?> Root() => new("--root")
    {
        HelpName = ValueNames.Folder,
        Description = "Look for key files below this folder instead of / (for staging copies and tests)",
    };

    public static Option<int> Bits() => new("--bits")
    {
        Description = "RSA key size: 2048 (default), 3072 or 4096; 1024 only with a warning",
        DefaultValueFactory = _ => DkimKeySize.Default,
    };

    public static Option<string> KeyFolder() => new("--key-folder")
    {
        HelpName = ValueNames.Folder,
        Description = $"The folder the key lies below, as the policy's dkim.key_folder names it (default {Policy.Values.KeyFolder.Default})",
        DefaultValueFactory = _ => Policy.Values.KeyFolder.Default,
    };

    /// <summary>The exit code of a key that could not be created: a refusal when the host is not safe for it, bad input otherwise.</summary>
    public static int Report(DkimKeyException e, TextWriter stderr)
    {
        if (e is UnsafeDkimKeyException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Refused;
        }

        return InvalidInput.Report(stderr, e.Message);
    }

    public static Option<string> Domain() => new("--domain") { Description = "The mail domain, e.g. example.com", Required = true };
}
