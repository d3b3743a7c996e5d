using UcsMailConfig.Cli;
using UcsMailConfig.Tests.Apply;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Cli;

/// <summary>
/// Every example that --help shows is run, in the order help lists the commands, on a sandbox
/// host with the 2017 admin's policy (examples/single-domain) at the conventional path. The
/// sandbox stands in where an example means the real host: the policy path and /tmp/rendered
/// point into it, and a command's --root, --ucr, --systemctl and --dns-server (a named on
/// 127.0.0.1 that serves the policy's records) are added when the example does not give them.
/// </summary>
public sealed class HelpExampleTests
{
    [Fact]
    public void Every_help_example_runs_on_a_sandbox_host()
    {
        using var host = new ApplySandbox();
        using var temp = new TempDirectory();
        var policy = host[HelpExamples.Policy];
        Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
        File.Copy(ApplySandbox.Example("single-domain"), policy);
        host.CreateKeys(policy);
        var zone = host.Cli("dns", policy, "--root", host.Root);
        Assert.True(zone.Exit == 0, zone.Err);
        using var dns = new BindServer(zone.Out);
        var sandbox = new Dictionary<string, string> { ["--root"] = host.Root, ["--ucr"] = host.UcrProgram, ["--systemctl"] = "/bin/false", ["--dns-server"] = dns.Address };

        var ran = 0;
        foreach (var (path, options) in HelpTree.Commands())
        {
            foreach (var example in Examples(path))
            {
                Assert.Matches("^ucs-mail-config [A-Za-z0-9 ./:_-]+$", example);
                var words = example.Split(' ').Skip(1).Select(w => w == HelpExamples.Policy ? policy : w == "/tmp/rendered" ? temp.Combine("rendered") : w).ToList();
                if (words.IndexOf("--dns-server") is var server and >= 0)
                {
                    words[server + 1] = dns.Address;
                }

                foreach (var (option, value) in sandbox.Where(s => options.Contains(s.Key) && !words.Contains(s.Key)))
                {
                    words.AddRange([option, value]);
                }

                var result = CliRun.Run([.. words]);

                // 0 done, 2 pending; status --check also 1 (WARNING) or 2 (CRITICAL: no OpenDKIM runs here).
                int[] expected = example.Contains("status --check", StringComparison.Ordinal) ? [0, 1, 2] : [0, 2];
                Assert.True(expected.Contains(result.Exit) && result.Stdout.Length > 0, $"{example}\nran as {string.Join(' ', words)}\n{result}");
                ran++;
            }
        }

        Assert.True(ran >= 10, $"only {ran} examples found in --help");
    }

    [Fact]
    public void Every_example_belongs_to_a_command_and_names_it()
    {
        var commands = HelpTree.Commands();
        foreach (var path in HelpExamples.Paths)
        {
            Assert.Contains(path, commands.Keys);
            Assert.All(HelpExamples.For(path), e => Assert.StartsWith($"ucs-mail-config {path} ", e + " ", StringComparison.Ordinal));
        }
    }

    // The lines of the "Examples:" section of the command's --help.
    private static IEnumerable<string> Examples(string path)
    {
        var help = CliRun.Run([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]).Stdout.ReplaceLineEndings("\n");
        return help.Split('\n').SkipWhile(l => l != "Examples:").Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Trim());
    }
}
