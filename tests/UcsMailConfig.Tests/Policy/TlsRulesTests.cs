using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Tests.Policy;

/// <summary>The cross-value rules of the tls section, and what they leave alone.</summary>
public sealed class TlsRulesTests
{
    [Theory]
    [InlineData("\"[relay.example.net]:587\"", "\"[relay.example.net]:587\": secure")]
    [InlineData("relay.example.net", "Relay.Example.NET: encrypt")]
    public void Mandatory_tls_through_a_relay_named_in_destinations_draws_no_warning(string relayhost, string destination)
    {
        var result = PolicyLoader.Load($"version: 1\npostfix:\n  parameters:\n    relayhost: {relayhost}\ntls:\n  outbound:\n    level: secure\n  destinations:\n    {destination}\n");

        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("may")]
    [InlineData("none")]
    public void Opportunistic_outbound_tls_draws_no_relay_warning(string level)
    {
        var result = PolicyLoader.Load($"version: 1\ntls:\n  outbound:\n    level: {level}\n");

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Dane_for_one_destination_warns_there_and_asks_postfix_for_dnssec()
    {
        var result = PolicyLoader.Load("version: 1\ntls:\n  destinations:\n    example.net: encrypt\n    example.org: dane\n");

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCode.DaneNeedsValidatingResolver, 5, 18), (warning.Code, warning.Position.Line, warning.Position.Column));
        var settings = RenderModelDeriver.Derive(result.Policy!).MainCf.SelectMany(s => s.Settings).ToList();
        Assert.Contains(new PostfixSetting("smtp_dns_support_level", "dnssec"), settings);
        Assert.DoesNotContain(settings, s => s.Name == "smtpd_tls_security_level");
    }

    [Fact]
    public void Without_a_tls_section_nothing_about_tls_is_written()
    {
        var model = RenderModelDeriver.Derive(PolicyLoader.Load("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n").Policy!);

        Assert.DoesNotContain(model.UcrVariables, v => v.Name.Contains("tls", StringComparison.Ordinal));
        Assert.Empty(model.TlsPolicyMap);
        Assert.Empty(model.HashTables);
        Assert.Null(model.KopanoSmime);
    }
}
