using System.Collections.Immutable;
using System.Globalization;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Dns;

/// <summary>
/// Derives the TXT records a policy asks to publish: per domain, a DKIM record for every
/// selector that is pending, active or retired (all three are published; only active ones
/// sign), then SPF, then DMARC. Pure: public keys come in through <see cref="DkimPublicKeys"/>.
/// Values are deterministic, tags in a fixed order, defaults left out.
/// </summary>
public static class DnsRecordDeriver
{
    public static ImmutableArray<DnsRecord> Derive(MailPolicy policy, DkimPublicKeys publicKeys)
    {
        var records = new List<DnsRecord>();
        foreach (var domain in policy.Domains)
        {
            foreach (var selector in domain.Dkim?.Selectors ?? [])
            {
                records.Add(Dkim(domain.Name, selector, publicKeys.Find(selector.KeyPath)));
            }

            if (domain.Spf is { } spf)
            {
                records.Add(new DnsRecord(domain.Name, DnsRecordKind.Spf, domain.Name.Value, SpfValue(spf), $"{domain.Name}: SPF, who may send mail as this domain"));
            }

            if (domain.Dmarc is { } dmarc)
            {
                records.Add(new DnsRecord(domain.Name, DnsRecordKind.Dmarc, domain.Name.DmarcRecordName, DmarcValue(dmarc), $"{domain.Name}: DMARC, what receivers do with mail that fails SPF and DKIM"));
            }
        }

        return [.. records];
    }

    /// <summary>The DKIM record of one selector; without a public key its value is null.</summary>
    public static DnsRecord Dkim(DomainName domain, DkimSelector selector, string? publicKeyBase64)
    {
        var state = selector.State switch
        {
            SelectorState.Pending => "pending: published, not signing yet",
            SelectorState.Active => "active: signing",
            _ => "retired: still published, no longer signing",
        };
        return new DnsRecord(
            domain,
            DnsRecordKind.Dkim,
            domain.DkimRecordName(selector.Name),
            publicKeyBase64 is null ? null : $"v=DKIM1; k=rsa; p={publicKeyBase64}",
            $"{domain}: DKIM key of selector {selector.Name} ({state})",
            selector);
    }

    /// <summary><c>v=spf1 MECHANISMS QUALIFIERall</c>, mechanisms in policy order.</summary>
    public static string SpfValue(SpfPolicy spf)
    {
        var terms = new string[spf.Mechanisms.Length + 2];
        terms[0] = "v=spf1";
        for (var i = 0; i < spf.Mechanisms.Length; i++)
        {
            terms[i + 1] = spf.Mechanisms[i].Text;
        }

        terms[^1] = spf.All switch
        {
            SpfAllResult.Softfail => "~all",
            SpfAllResult.Neutral => "?all",
            SpfAllResult.Pass => "+all",
            _ => "-all",
        };
        return string.Join(' ', terms);
    }

    /// <summary>
    /// <c>v=DMARC1; p=...</c> then sp, pct, rua, ruf, adkim, aspf, each only when it differs
    /// from what receivers assume without it (RFC 7489 6.3: sp=p, pct=100, adkim=r, aspf=r).
    /// </summary>
    public static string DmarcValue(DmarcPolicy dmarc)
    {
        var tags = new List<string> { "v=DMARC1", $"p={Disposition(dmarc.Policy)}" };
        if (dmarc.SubdomainPolicy is { } sp && sp != dmarc.Policy)
        {
            tags.Add($"sp={Disposition(sp)}");
        }

        if (dmarc.Percent != 100)
        {
            tags.Add($"pct={dmarc.Percent.ToString(CultureInfo.InvariantCulture)}");
        }

        if (dmarc.AggregateReports.Length > 0)
        {
            tags.Add($"rua={string.Join(',', dmarc.AggregateReports)}");
        }

        if (dmarc.FailureReports.Length > 0)
        {
            tags.Add($"ruf={string.Join(',', dmarc.FailureReports)}");
        }

        if (dmarc.DkimAlignment == DmarcAlignment.Strict)
        {
            tags.Add("adkim=s");
        }

        if (dmarc.SpfAlignment == DmarcAlignment.Strict)
        {
            tags.Add("aspf=s");
        }

        return string.Join("; ", tags);
    }

    // RFC 7489's p= and sp= values.
    private static string Disposition(DmarcDisposition disposition) => disposition switch
    {
        DmarcDisposition.None => "none",
        DmarcDisposition.Quarantine => "quarantine",
        DmarcDisposition.Reject => "reject",
        _ => throw new ArgumentOutOfRangeException(nameof(disposition), disposition, "no such DMARC policy"),
    };
}
