using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Binds the tls section (levels, minimum protocols, per-destination rules) and warns where a
/// level would defer mail. Contract as <see cref="PolicyBinder"/>'s.
/// </summary>
internal sealed class TlsBinder(DiagnosticBag diagnostics)
{
    private static readonly OutboundTlsLevel[] MandatoryOutboundLevels = [OutboundTlsLevel.Encrypt, OutboundTlsLevel.Verify, OutboundTlsLevel.Secure];

    public TlsPolicy Bind(YamlMapping? tls, YamlMapping? parameters)
    {
        if (tls is null)
        {
            return TlsPolicy.None;
        }

        var outbound = tls["outbound"] as YamlMapping;
        var inbound = tls["inbound"] as YamlMapping;
        var rules = new List<TlsDestinationRule>();
        var seen = new HashSet<TlsDestination>();
        foreach (var entry in (tls["destinations"] as YamlMapping)?.Entries ?? [])
        {
            if (!ValueSafety.IsSafe(entry.Key.Value) || !TlsDestination.TryParse(entry.Key.Value, out var destination)
                || entry.Value is not YamlScalar { IsNull: false } levelNode || PolicySpelling.OutboundTlsLevels.Parse(levelNode.Value) is not { } level)
            {
                continue;
            }

            if (!seen.Add(destination))
            {
                diagnostics.Error(DiagnosticCode.DuplicateKey, entry.Key.Start,
                    $"tls.destinations names {destination} twice (destinations are not case-sensitive); list each destination once");
                continue;
            }

            if (level == OutboundTlsLevel.Dane && !destination.IsDnsName)
            {
                diagnostics.Error(DiagnosticCode.DaneWithoutDnsName, levelNode.Start,
                    $"tls.destinations.{destination}: dane looks up TLSA records under the destination's DNS name, and an address literal has none; use the host's name ([mail.example.com]) or the level encrypt, verify or secure");
                continue;
            }

            rules.Add(new TlsDestinationRule(destination, level));
        }

        var policy = new TlsPolicy(
            PolicyNodes.Choice(outbound, "level", PolicySpelling.OutboundTlsLevels),
            PolicyNodes.Choice(outbound, "min_protocol", PolicySpelling.TlsProtocols),
            PolicyNodes.Choice(inbound, "level", PolicySpelling.InboundTlsLevels),
            PolicyNodes.Choice(inbound, "min_protocol", PolicySpelling.TlsProtocols),
            [.. rules.OrderBy(r => r.Destination.Text, StringComparer.Ordinal)]);

        if (policy.OutboundLevel is { } outboundLevel && MandatoryOutboundLevels.Contains(outboundLevel))
        {
            CheckTlsRelay(PolicySpelling.OutboundTlsLevels.Of(outboundLevel), outbound!.Find("level")!.Value.Start, parameters, policy);
        }

        if (policy.UsesDane)
        {
            var first = policy.OutboundLevel == OutboundTlsLevel.Dane
                ? outbound!.Find("level")!.Value.Start
                : (tls["destinations"] as YamlMapping)!.Entries.First(e => e.Value is YamlScalar scalar && PolicySpelling.OutboundTlsLevels.Parse(scalar.Value) == OutboundTlsLevel.Dane).Value.Start;
            diagnostics.Warning(DiagnosticCode.DaneNeedsValidatingResolver, first,
                "dane works only with a DNSSEC-validating resolver (e.g. unbound on this host, named in /etc/resolv.conf); without one Postfix sees no TLSA records and falls back to opportunistic TLS (may). ucs-mail-config sets smtp_dns_support_level = dnssec");
        }

        if (policy.InboundLevel == InboundTlsLevel.Encrypt)
        {
            diagnostics.Warning(DiagnosticCode.MandatoryInboundTls, inbound!.Find("level")!.Value.Start,
                "tls.inbound.level: encrypt refuses mail from every server that does not use STARTTLS; RFC 3207 forbids this on a publicly referenced MX. Use it only on a server that receives from known clients");
        }

        return policy;
    }

    /// <summary>
    /// Mandatory TLS for all outgoing mail needs every next hop to speak TLS. Without a relayhost
    /// the next hops are the recipients' MX hosts, many of which offer no STARTTLS: their mail is
    /// deferred and finally bounced. With a relayhost, only the relay must speak TLS; naming it in
    /// tls.destinations is how the policy says it does.
    /// </summary>
    private void CheckTlsRelay(string level, SourcePosition at, YamlMapping? parameters, TlsPolicy tls)
    {
        var relayhost = PolicyNodes.Scalar(parameters, "relayhost");
        if (relayhost is null || relayhost.Trim().Length == 0)
        {
            diagnostics.Warning(DiagnosticCode.MandatoryTlsWithoutTlsRelay, at,
                $"tls.outbound.level: {level} without a relayhost delivers straight to the recipients' MX hosts, and mail to every one that does not offer STARTTLS is deferred and finally bounced; use may (or dane) for delivery to the internet and {level} in tls.destinations for the partners that need it, or send through a relay (postfix.parameters.relayhost)");
            return;
        }

        var named = TlsDestination.TryParse(relayhost.Trim(), out var relay) && tls.Destinations.Any(d => d.Destination == relay);
        if (!named)
        {
            diagnostics.Warning(DiagnosticCode.MandatoryTlsWithoutTlsRelay, at,
                $"tls.outbound.level: {level} sends all mail through the relayhost {Text.Quote(relayhost)}, which the policy does not know to speak TLS; if it does not offer STARTTLS, all outgoing mail is deferred. Name it in tls.destinations (\"{relayhost.Trim()}\": {level}) once you have checked that it does");
        }
    }
}
