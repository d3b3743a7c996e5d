using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// The stock-parameter table: UCS's defaults stand in for unset variables, values compare the
/// way Postfix reads them, and the plan's "queue lifetime lowered" decision comes from the
/// typed values derive carries.
/// </summary>
public sealed class StockUcsParametersTests
{
    [Fact]
    public void An_unset_or_unreadable_lifetime_is_UCS_default_and_a_number_alone_has_the_parameter_unit()
    {
        var maximal = StockUcsParameters.MaximalQueueLifetime;
        Assert.Equal(5 * 86400, Assert.IsType<DurationValue>(maximal.Effective(null)).Seconds);
        Assert.Equal(5 * 86400, Assert.IsType<DurationValue>(maximal.Effective("soon")).Seconds);
        Assert.Equal(2 * 86400, Assert.IsType<DurationValue>(maximal.Effective("2")).Seconds);
        Assert.Equal(2 * 3600, Assert.IsType<DurationValue>(StockUcsParameters.DelayWarningTime.Effective("2")).Seconds);
    }

    [Theory]
    [InlineData("1h", "3600s", true)]
    [InlineData("1h", "60m", true)]
    [InlineData("1d", "1", true)]
    [InlineData("1h", "2h", false)]
    [InlineData("1h", "", false)]
    public void A_duration_is_met_by_any_spelling_of_the_same_time(string policy, string effective, bool met)
    {
        var entry = StockUcsParameters.MaximalQueueLifetime;
        Assert.Equal(met, entry.Parse(policy)!.IsMetBy(effective));
    }

    [Theory]
    [InlineData("hash:/a, hash:/b", "hash:/a hash:/b", true)]
    [InlineData("hash:/a, hash:/b", "hash:/a,hash:/b", true)]
    [InlineData("hash:/a, hash:/b", "hash:/b, hash:/a", false)]
    [InlineData("hash:/a, hash:/b", "hash:/a", false)]
    public void A_list_is_met_by_the_same_items_in_the_same_order(string policy, string effective, bool met) =>
        Assert.Equal(met, StockUcsParameters.SmtpTlsPolicyMaps.Parse(policy)!.IsMetBy(effective));

    [Theory]
    [InlineData("1h", null, true)]
    [InlineData("10d", null, false)]
    [InlineData("1h", "30m", false)]
    [InlineData("1h", "2", true)]
    public void The_plan_says_when_a_queue_lifetime_gets_shorter(string policy, string? current, bool lowered)
    {
        using var root = new TempDirectory();
        if (current is not null)
        {
            Directory.CreateDirectory(root.Combine("etc/univention"));
            File.WriteAllText(root.Combine("etc/univention/base.conf"), $"# test\nmail/postfix/maximal_queue_lifetime: {current}\n");
        }

        var result = PolicyLoader.Load($"version: 1\npostfix:\n  queue:\n    maximal_lifetime: {policy}\n");
        var model = RenderModelDeriver.Derive(result.Policy!);
        var plan = Planner.Plan(TreeRenderer.Render(model), model, root.Path, ApplyState.Empty, null);

        Assert.Equal(lowered, plan.QueueLifetimeLowered);
    }
}
