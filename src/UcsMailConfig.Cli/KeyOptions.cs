using System.CommandLine;
using UcsMailConfig.Dkim;

namespace UcsMailConfig.Cli;

/// <summary>The options the key and DNS commands share, with one wording everywhere.</summary>
internal static class KeyOptions
{
    public static Option<string?> Root() => new("--root")
    {
        Description = "Look for key files below this folder instead of / (for staging copies and tests)",
    };

    public static Option<int> Bits() => new("--bits")
    {
        Description = "RSA key size: 2048 (default), 3072 or 4096; 1024 only with a warning",
        DefaultValueFactory = _ => DkimKeySize.Default,
    };

    public static Option<string> Domain() => new("--domain") { Description = "The mail domain, e.g. example.com", Required = true };
}
