using System.Text.Json;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// Issue 15, UCR layers and the effective check: a layer above base.conf that holds a variable
/// the policy sets with another value makes apply, --check and diff refuse before anything
/// changes (exit 5, naming the layer, both values and the way out); the same value there is fine.
/// After the commit, a Postfix parameter that does not have the policy's value fails the apply
/// and rolls it back (exit 3), naming the parameter, both values and the source that sets it.
/// Real postconf/postfix, the ucr fixture's layers.
/// </summary>
public sealed class UcrLayerApplyTests
{
    private const string Variable = "mail/postfix/maximal_queue_lifetime";
    private const string OneHour = "version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n";

    [Theory]
    [InlineData("--ldap-policy", "ldap", "base-ldap.conf", "univention-policy-result")]
    [InlineData("--force", "forced", "base-forced.conf", "ucr unset --force " + Variable)]
    [InlineData("--schedule", "schedule", "base-schedule.conf", "ucr unset --schedule " + Variable)]
    public void A_higher_layer_with_another_value_is_refused_by_apply_check_and_diff_and_nothing_changes(string scope, string layer, string file, string howTo)
    {
        using var host = new ApplySandbox();
        host.Host.Ucr("set", scope, $"{Variable}=3d");
        var policy = host.WritePolicy(OneHour);
        var before = host.Snapshot();
        var invocations = host.UcrInvocations().Count;

        var apply = host.Apply(policy);
        var check = host.Apply(policy, "--check");
        var diff = host.Diff(policy);
        var json = host.Apply(policy, "--json");

        foreach (var result in new[] { apply, check, diff, json })
        {
            Assert.True(result.Exit == 5, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        }

        foreach (var err in new[] { apply.Err, check.Err, diff.Err })
        {
            Assert.Contains($"the UCR variable {Variable} is '3d' in the {layer} layer (/etc/univention/{file})", err, StringComparison.Ordinal);
            Assert.Contains("the policy's '1h'", err, StringComparison.Ordinal);
            Assert.Contains(howTo, err, StringComparison.Ordinal);
        }

        var reported = JsonDocument.Parse(json.Out).RootElement.GetProperty("ucrVariables").EnumerateArray().Single();
        Assert.Equal(Variable, reported.GetProperty("name").GetString());
        Assert.Equal("1h", reported.GetProperty("policy").GetString());
        Assert.Equal("3d", reported.GetProperty("effective").GetString());
        Assert.Equal(layer, reported.GetProperty("layer").GetString());
        Assert.True(reported.GetProperty("conflicts").GetBoolean());
        Assert.Equal(before, host.Snapshot());
        Assert.Equal(invocations, host.UcrInvocations().Count);
    }

    [Theory]
    [InlineData("--ldap-policy", "1h")]
    [InlineData("--force", "60m")]
    public void A_higher_layer_with_the_policy_value_is_fine_and_nothing_is_set_under_it(string scope, string value)
    {
        using var host = new ApplySandbox();
        host.Host.Ucr("set", scope, $"{Variable}={value}");
        var earlier = host.UcrInvocations().Count;

        var apply = host.Apply(host.WritePolicy(OneHour), "--json");

        Assert.True(apply.Exit == 0, $"exit {apply.Exit}\n{apply.Out}\n{apply.Err}");
        Assert.DoesNotContain(host.UcrInvocations().Skip(earlier), i => i.Contains(Variable, StringComparison.Ordinal));
        var reported = JsonDocument.Parse(apply.Out).RootElement.GetProperty("ucrVariables").EnumerateArray().Single();
        Assert.False(reported.GetProperty("conflicts").GetBoolean());
        Assert.Equal(value + "\n", ExternalProgram.Run("postconf", ["-c", host["etc/postfix"], "-h", "maximal_queue_lifetime"]).StdOut);
    }

    [Fact]
    public void A_stock_template_that_no_longer_reads_the_variable_fails_the_effective_check_and_is_rolled_back()
    {
        using var host = new ApplySandbox();
        // The 2017 admin's hand edit: a literal where 10_general read the UCR variable.
        var general = host["etc/univention/templates/files/etc/postfix/main.cf.d/10_general"];
        File.WriteAllText(general, File.ReadAllText(general).Replace($"@%@{Variable}@%@", "3d", StringComparison.Ordinal));
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
        var before = host.Snapshot();

        var result = host.Apply(host.WritePolicy(OneHour));

        Assert.True(result.Exit == 3, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        Assert.Contains("Postfix's maximal_queue_lifetime is '3d', but the policy means '1h'", result.Err, StringComparison.Ordinal);
        Assert.Contains("main.cf.d/10_general", result.Err, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }
}
