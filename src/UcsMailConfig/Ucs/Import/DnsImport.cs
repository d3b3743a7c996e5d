// Contract: SPF and DMARC are not on the host. With a DNS server, reads the published records of
// each imported domain (bounded: DnsChecker's per-answer timeout, one budget for all) into the
// policy; without one, lists them as left out. A record the policy cannot express is left out whole.
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs.Import;

internal static class DnsImport
{
    public static void Take(PolicyText text, IReadOnlyList<string> domains, ImportOptions options, List<LeftOut> leftOut, List<string> notes)
    {
        if (options.DnsServer is null)
        {
            foreach (var domain in domains)
            {
                leftOut.Add(new LeftOut($"SPF and DMARC of {domain}", null, "they are published in DNS, not kept on the host; import --dns-server IP[:PORT] reads them"));
            }

            return;
        }

        var checker = new DnsChecker(options.DnsServer, options.DnsTimeout);
        using var budget = new CancellationTokenSource(options.DnsTotal);
        foreach (var domain in domains)
        {
            Spf(text, domain, Ask(checker, domain, "v=spf1", budget.Token, leftOut, notes), leftOut);
            Dmarc(text, domain, Ask(checker, "_dmarc." + domain, "v=DMARC1", budget.Token, leftOut, notes), leftOut);
        }
    }

    private static (string Value, ImportSource Source)? Ask(DnsChecker checker, string name, string version, CancellationToken budget, List<LeftOut> leftOut, List<string> notes)
    {
        var source = new ImportSource($"TXT {name}", 0, $"published, asked {checker.Server}");
        if (checker.Txt(name, budget, out var problem) is not { } values)
        {
            leftOut.Add(new LeftOut($"{version} record of {name}", source, problem!));
            return null;
        }

        var records = values.Where(v => v.StartsWith(version, StringComparison.OrdinalIgnoreCase) && (v.Length == version.Length || v[version.Length] is ' ' or ';')).ToList();
        if (records.Count > 1)
        {
            leftOut.Add(new LeftOut($"{version} records of {name}", source, $"{records.Count} are published; receivers treat that as an error: keep one"));
            return null;
        }

        if (records.Count == 0)
        {
            notes.Add($"{name} publishes no {version} record");
            return null;
        }

        return (records[0], source);
    }

    private static void Spf(PolicyText text, string domain, (string Value, ImportSource Source)? record, List<LeftOut> leftOut)
    {
        if (record is not { } found)
        {
            return;
        }

        var terms = found.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
        var all = SpfAllResult.Neutral;
        var mechanisms = new List<string>();
        foreach (var term in terms)
        {
            if (term.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                all = term[0] switch { '-' => SpfAllResult.Fail, '~' => SpfAllResult.Softfail, '?' => SpfAllResult.Neutral, _ => SpfAllResult.Pass };
            }
            else if (SpfMechanism.IsValid(term))
            {
                mechanisms.Add(term);
            }
            else
            {
                leftOut.Add(new LeftOut($"SPF record of {domain}: {found.Value}", found.Source, $"the term '{term}' is not one the policy writes"));
                return;
            }
        }

        if (all == SpfAllResult.Pass)
        {
            leftOut.Add(new LeftOut($"SPF record of {domain}: {found.Value}", found.Source, "+all lets anybody send as the domain; the policy refuses it (UMC057)"));
            return;
        }

        text.Set(["domains", domain, "spf", "mechanisms"], PolicyText.Flow(mechanisms), found.Source);
        text.Set(["domains", domain, "spf", "all"], PolicySpelling.SpfAllResults.Of(all), found.Source);
    }

    private static void Dmarc(PolicyText text, string domain, (string Value, ImportSource Source)? record, List<LeftOut> leftOut)
    {
        if (record is not { } found)
        {
            return;
        }

        var tags = found.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(t => t.Split('=', 2)).Where(t => t.Length == 2).ToDictionary(t => t[0].Trim().ToLowerInvariant(), t => t[1].Trim(), StringComparer.Ordinal);
        var values = new List<(string Key, string Yaml)>();
        string[] key = ["domains", domain, "dmarc"];
        DmarcAlignment? Alignment(string v) => v switch { "r" => DmarcAlignment.Relaxed, "s" => DmarcAlignment.Strict, _ => null };
        foreach (var (tag, value) in tags)
        {
            var yaml = tag switch
            {
                "p" or "sp" => PolicySpelling.DmarcDispositions.Parse(value) is { } d ? PolicySpelling.DmarcDispositions.Of(d) : null,
                "pct" => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pct) && pct <= 100 ? value : null,
                "rua" or "ruf" => PolicyText.Flow(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                "adkim" or "aspf" => Alignment(value) is { } a ? PolicySpelling.DmarcAlignments.Of(a) : null,
                _ => null,
            };
            if (yaml is null)
            {
                leftOut.Add(new LeftOut($"DMARC record of {domain}: {found.Value}", found.Source, $"the tag {tag}={value} is not one the policy writes"));
                return;
            }

            values.Add((tag switch { "p" => "policy", "sp" => "subdomain_policy", "pct" => "percent", _ => tag }, yaml));
        }

        foreach (var (name, yaml) in values.OrderBy(v => v.Key == "policy" ? 0 : 1))
        {
            text.Set([.. key, name], yaml, found.Source);
        }
    }
}
