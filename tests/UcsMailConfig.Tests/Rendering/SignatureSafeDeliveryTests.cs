using UcsMailConfig.Policy;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Tests.Rendering;

/// <summary>
/// Derive writes disable_mime_output_conversion and smtp_line_length_limit into our main.cf
/// fragment exactly while OpenDKIM signs mail, and steps aside for a value the policy sets
/// itself. Why these two: docs/mail-flow.md and the MailFlow system tests.
/// </summary>
public sealed class SignatureSafeDeliveryTests
{
    private const string Signing = """
        version: 1
        domains:
          example.com:
            dkim:
              selectors:
                s1: {}

        """;

    [Fact]
    public void A_signing_policy_keeps_postfix_from_changing_signed_mail()
    {
        Assert.Equal(
            ["disable_mime_output_conversion = yes", "smtp_line_length_limit = 0"],
            Settings(Signing, "keep DKIM signatures intact"));
    }

    [Fact]
    public void A_value_in_postfix_parameters_wins_and_is_written_once()
    {
        var policy = Signing + "postfix:\n  parameters:\n    smtp_line_length_limit: \"998\"\n";

        Assert.Equal(["disable_mime_output_conversion = yes"], Settings(policy, "keep DKIM signatures intact"));
        Assert.Equal(["smtp_line_length_limit = 998"], Settings(policy, "further parameters"));
    }

    [Theory]
    [InlineData("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n")]
    [InlineData(Signing + "dkim:\n  mode: verify\n")]
    [InlineData(Signing + "dkim:\n  enabled: false\n")]
    [InlineData("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {state: pending}\n")]
    public void Nothing_is_written_while_nothing_signs(string policy)
    {
        Assert.DoesNotContain(Derive(policy).MainCf, s => s.Title.StartsWith("keep DKIM signatures intact", StringComparison.Ordinal));
    }

    private static RenderModel Derive(string yaml)
    {
        var result = PolicyLoader.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format("policy"))));
        return RenderModelDeriver.Derive(result.Policy!);
    }

    private static string[] Settings(string yaml, string sectionTitle) =>
        [.. Derive(yaml).MainCf.Single(s => s.Title.StartsWith(sectionTitle, StringComparison.Ordinal)).Settings.Select(s => $"{s.Name} = {s.Value}")];
}
