namespace UcsMailConfig.Cli;

/// <summary>
/// Example command lines per command path, shown at the end of its --help and in the man page.
/// Each is one plain command line (no quotes, no shell syntax) on the policy's conventional
/// path: a test runs every one of them on a sandbox host, so none can go stale.
/// </summary>
internal static class HelpExamples
{
    public const string Policy = "/etc/ucs-mail-config/mail-policy.yaml";

    private static readonly Dictionary<string, string[]> ByCommand = new(StringComparer.Ordinal)
    {
        ["validate"] = [$"{CommandTree.Tool} validate {Policy}"],
        ["render"] = [$"{CommandTree.Tool} render {Policy} --out /tmp/rendered"],
        ["diff"] = [$"{CommandTree.Tool} diff {Policy}"],
        ["apply"] = [$"{CommandTree.Tool} apply --check --json {Policy}", $"{CommandTree.Tool} apply {Policy}"],
        ["status"] = [$"{CommandTree.Tool} status", $"{CommandTree.Tool} status --check --dns-total 20"],
        ["schema"] = [$"{CommandTree.Tool} schema"],
        ["dkim keygen"] = [$"{CommandTree.Tool} dkim keygen --domain example.com --selector 20261207"],
        ["dkim rotate"] = [$"{CommandTree.Tool} dkim rotate --domain example.com --policy {Policy}"],
        ["dns"] = [$"{CommandTree.Tool} dns {Policy} --format plain"],
        ["dns check"] = [$"{CommandTree.Tool} dns check {Policy} --dns-server 127.0.0.1"],
    };

    /// <summary>The examples of the command at <paramref name="path"/> (e.g. "dns check"); none for a path without any.</summary>
    public static IReadOnlyList<string> For(string path) => ByCommand.TryGetValue(path, out var examples) ? examples : [];

    /// <summary>Every path that has examples, for the test that keeps them pointing at real commands.</summary>
    public static IEnumerable<string> Paths => ByCommand.Keys;
}
