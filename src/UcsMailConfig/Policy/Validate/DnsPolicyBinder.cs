using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Binds a domain's spf and dmarc keys and checks what receivers would refuse: a second record,
/// +all, more than 10 lookups, a TXT record or name longer than DNS allows. Contract as <see cref="PolicyBinder"/>'s.
/// </summary>
internal sealed class DnsPolicyBinder(DiagnosticBag diagnostics)
{
    public SpfPolicy? BindSpf(DomainName domain, YamlMapping? spf)
    {
        if (spf is null)
        {
            return null;
        }

        var items = spf["mechanisms"] is YamlSequence sequence ? sequence.Items : [];
        var mechanisms = new List<SpfMechanism>(items.Count);
        var all = PolicyNodes.Choice(spf, "all", PolicySpelling.SpfAllResults) ?? PolicyDefaults.SpfAll;
        var lookups = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not YamlScalar text)
            {
                continue;
            }

            if (SpfMechanism.IsRecordText(text.Value))
            {
                diagnostics.Error(DiagnosticCode.SpfRecordInMechanisms, text.Start,
                    $"spf.mechanisms of '{domain}' holds a whole SPF record ({Text.Quote(text.Value)}); the record's v=spf1 is written once, by ucs-mail-config, and a second one makes receivers answer PermError; list only the terms, e.g. [mx, a, include:_spf.provider.example]");
            }
            else if (SpfMechanism.IsAllTerm(text.Value))
            {
                diagnostics.Error(DiagnosticCode.SpfAllInMechanisms, text.Start,
                    $"{Text.Quote(text.Value)} in spf.mechanisms of '{domain}' would end the record a second time; the record ends with spf.all (now: {PolicySpelling.SpfAllResults.Of(all)}); remove it here and set spf.all: fail, softfail or neutral");
            }
            else if (SpfMechanism.TryParse(text.Value, out var mechanism))
            {
                mechanisms.Add(mechanism);
                lookups += mechanism.QueriesDns ? 1 : 0;
            }
        }

        if (lookups > 10)
        {
            diagnostics.Error(DiagnosticCode.SpfTooManyLookups, spf.Find("mechanisms")!.Key.Start,
                $"the SPF record of '{domain}' needs {lookups} DNS lookups (a, mx, include, exists); receivers allow at most 10 and answer PermError beyond; use ip4:/ip6: terms instead of some of them");
        }

        if (all == SpfAllResult.Pass)
        {
            diagnostics.Error(DiagnosticCode.SpfAllPass, spf.Find("all")!.Value.Start,
                $"spf.all: pass (+all) lets every host on the internet send mail as '{domain}'; use fail, softfail or neutral");
        }

        CheckTxtLength(SpfFixedChars + mechanisms.Sum(m => m.Text.Length + 1), spf, $"the SPF record of '{domain}'");
        return new SpfPolicy([.. mechanisms], all);
    }

    public DmarcPolicy? BindDmarc(DomainName domain, YamlMapping? dmarc)
    {
        if (dmarc is null)
        {
            return null;
        }

        if (domain.DmarcRecordName.Length > DomainName.MaxLength)
        {
            diagnostics.Error(DiagnosticCode.DnsNameTooLong, dmarc.Start,
                $"the DMARC record's name {domain.DmarcRecordName} has more than {DomainName.MaxLength} characters, more than DNS allows; publish DMARC for this domain by hand or shorten the name");
        }

        var reports = PolicyNodes.Strings(dmarc["rua"]).AddRange(PolicyNodes.Strings(dmarc["ruf"]));
        CheckTxtLength(DmarcFixedChars + reports.Sum(r => r.Length + 1), dmarc, $"the DMARC record of '{domain}'");
        return new DmarcPolicy(
            PolicyNodes.Choice(dmarc, "policy", PolicySpelling.DmarcDispositions) ?? DmarcDisposition.None,
            PolicyNodes.Choice(dmarc, "subdomain_policy", PolicySpelling.DmarcDispositions),
            PolicyNodes.Scalar(dmarc, "percent") is { } text && ScalarValues.TryInteger(text, out var percent) ? percent : PolicyDefaults.DmarcPercent,
            PolicyNodes.Strings(dmarc["rua"]),
            PolicyNodes.Strings(dmarc["ruf"]),
            PolicyNodes.Choice(dmarc, "adkim", PolicySpelling.DmarcAlignments) ?? PolicyDefaults.DmarcDkimAlignment,
            PolicyNodes.Choice(dmarc, "aspf", PolicySpelling.DmarcAlignments) ?? PolicyDefaults.DmarcSpfAlignment);
    }

    // A TXT record's data has at most 65,535 bytes, one length byte per 255 characters of text.
    private const int MaxTxtChars = 65_279;

    // More than the tags around the listed terms can take (v=spf1 ... ~all; v=DMARC1; p=...).
    private const int SpfFixedChars = 32;
    private const int DmarcFixedChars = 128;

    private void CheckTxtLength(int length, YamlMapping at, string what)
    {
        if (length > MaxTxtChars)
        {
            diagnostics.Error(DiagnosticCode.ValueTooLong, at.Start,
                $"{what} would have about {length} characters; a DNS TXT record holds at most {MaxTxtChars}; list fewer terms");
        }
    }
}
