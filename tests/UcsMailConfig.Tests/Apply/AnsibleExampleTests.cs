using System.Text.Json;
using System.Text.RegularExpressions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// examples/ansible/apply-mail-policy.yml with Debian's ansible-core against localhost into a
/// sandbox root: changed on the first run, unchanged on the second, and check mode changes nothing.
/// </summary>
public sealed partial class AnsibleExampleTests
{
    private static readonly string Playbook = Path.Combine(RepoPaths.Examples, "ansible", "apply-mail-policy.yml");

    [Fact]
    public void Playbook_reports_changed_then_unchanged_and_check_mode_changes_nothing()
    {
        using var host = new ApplySandbox();
        var policy = ApplySandbox.Example("single-domain");
        var before = host.Snapshot();

        var check = RunPlaybook(host, policy, checkMode: true);
        Assert.Equal((1, 0), (check.Changed, check.Failed));
        Assert.Equal(before, host.Snapshot());

        var first = RunPlaybook(host, policy, checkMode: false);
        Assert.Equal((1, 0), (first.Changed, first.Failed));
        Assert.Contains("maximal_queue_lifetime = 1h", File.ReadAllText(host["etc/postfix/main.cf"]), StringComparison.Ordinal);

        var second = RunPlaybook(host, policy, checkMode: false);
        Assert.Equal((0, 0), (second.Changed, second.Failed));

        var checkAfter = RunPlaybook(host, policy, checkMode: true);
        Assert.Equal((0, 0), (checkAfter.Changed, checkAfter.Failed));
    }

    [Fact]
    public void Playbook_fails_on_an_invalid_policy()
    {
        using var host = new ApplySandbox();
        var policy = host.WritePolicy("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 2x\n");

        var run = RunPlaybook(host, policy, checkMode: false);

        Assert.Equal(1, run.Failed);
        Assert.Contains("UMC020", run.Output, StringComparison.Ordinal);
    }

    private static (int Changed, int Failed, string Output) RunPlaybook(ApplySandbox host, string policy, bool checkMode)
    {
        var variables = host.WritePolicy(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mail_policy_file"] = policy,
            ["ucs_mail_config_command"] = new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "ucs-mail-config.dll") },
            ["ucs_mail_config_options"] = host.HostArguments(),
        }));
        string[] args = ["-i", "localhost,", "-c", "local", "-e", "target_hosts=localhost", "-e", "@" + variables, Playbook, .. checkMode ? new[] { "--check" } : []];

        var run = ExternalProgram.Run(ExternalProgram.Find("ansible-playbook"), args, TimeSpan.FromMinutes(3));

        var recap = Recap().Match(run.StdOut);
        Assert.True(recap.Success, run.ToString());
        return (int.Parse(recap.Groups["changed"].Value), int.Parse(recap.Groups["failed"].Value), run.StdOut);
    }

    [GeneratedRegex(@"localhost\s+:\s+ok=\d+\s+changed=(?<changed>\d+)\s+unreachable=\d+\s+failed=(?<failed>\d+)")]
    private static partial Regex Recap();
}
