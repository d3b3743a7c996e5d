using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Binds the domains section: each domain once, its DKIM selectors and their key files (unique,
/// below the key folder); SPF and DMARC go to <see cref="DnsPolicyBinder"/>. Contract as <see cref="PolicyBinder"/>'s.
/// </summary>
internal sealed class DomainBinder(DiagnosticBag diagnostics)
{
    private readonly DnsPolicyBinder dns = new(diagnostics);

    public ImmutableArray<DomainPolicy> Bind(YamlMapping? domains, string? keyFolder)
    {
        var count = domains?.Entries.Count ?? 0;
        var result = new List<DomainPolicy>(count);
        var names = new HashSet<DomainName>(count);
        var keyFiles = new Dictionary<string, (string Selector, DomainName Domain)>(count, StringComparer.Ordinal);
        foreach (var entry in domains?.Entries ?? [])
        {
            if (!DomainName.TryParse(entry.Key.Value, out var name) || entry.Value is not YamlMapping domain)
            {
                continue;
            }

            if (!names.Add(name))
            {
                diagnostics.Error(DiagnosticCode.DuplicateKey, entry.Key.Start,
                    $"domain '{name}' is listed twice (domain names are not case-sensitive); list each domain once");
                continue;
            }

            result.Add(new DomainPolicy(
                name,
                BindDomainDkim(name, domain["dkim"] as YamlMapping, keyFiles, keyFolder),
                dns.BindSpf(name, domain["spf"] as YamlMapping),
                dns.BindDmarc(name, domain["dmarc"] as YamlMapping)));
        }

        // Names are unique, so an unstable sort gives the one order.
        result.SortIfNeeded(static (a, b) => a.Name.CompareTo(b.Name));
        return [.. result];
    }

    private DomainDkim? BindDomainDkim(DomainName domain, YamlMapping? dkim, Dictionary<string, (string Selector, DomainName Domain)> keyFiles, string? keyFolder)
    {
        if (dkim is null)
        {
            return null;
        }

        // Loops rather than LINQ in here: this runs for every domain, and closures, enumerators
        // and sorting of one-element lists were most of the binder's allocations on 10,000 domains.
        var entries = (dkim["selectors"] as YamlMapping)?.Entries ?? [];
        var selectors = new List<DkimSelector>(entries.Count);
        // A set only where a search of the list would cost: most domains have one or two selectors.
        var seen = entries.Count > 8 ? new HashSet<string>(entries.Count, StringComparer.OrdinalIgnoreCase) : null;
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            var name = entry.Key.Value;
            if (!DkimSelectorName.IsValid(name))
            {
                continue;
            }

            if (seen is null ? HasSelector(selectors, name) : !seen.Add(name))
            {
                diagnostics.Error(DiagnosticCode.DuplicateKey, entry.Key.Start,
                    $"selector '{name}' of '{domain}' is listed twice (DNS names are not case-sensitive); list each selector once");
                continue;
            }

            if (domain.DkimRecordName(name) is { Length: > DomainName.MaxLength } recordName)
            {
                diagnostics.Error(DiagnosticCode.DnsNameTooLong, entry.Key.Start,
                    $"the DNS name of selector '{name}', {recordName}, has more than {DomainName.MaxLength} characters, more than DNS allows; use a shorter selector");
            }

            var selector = entry.Value as YamlMapping;
            var keyPath = PolicyNodes.Scalar(selector, "key") ?? DkimSelectorName.DefaultKeyPath(keyFolder ?? KeyFolder.Default, domain, name);
            if (!FilePath.IsSafeAbsolute(keyPath))
            {
                continue;
            }

            // Below the key folder, a key can be neither a file the tool manages nor one of the system's.
            if (keyFolder is not null && !KeyFolder.IsBelow(keyFolder, keyPath))
            {
                diagnostics.Error(DiagnosticCode.KeyOutsideKeyFolder, selector?.Find("key")?.Value.Start ?? entry.Key.Start,
                    $"the key file {Text.Quote(keyPath)} of selector {name}._domainkey.{domain} is outside the key folder {keyFolder}; put it below {keyFolder}/ (or set dkim.key_folder)");
                continue;
            }

            if (keyFiles.TryGetValue(keyPath, out var other))
            {
                diagnostics.Error(DiagnosticCode.SharedKeyFile, selector?.Find("key")?.Value.Start ?? entry.Key.Start,
                    $"selectors {other.Selector}._domainkey.{other.Domain} and {name}._domainkey.{domain} share the key file {Text.Quote(keyPath)}; give each selector its own key");
            }
            else
            {
                keyFiles.Add(keyPath, (name, domain));
            }

            var state = PolicyNodes.Choice(selector, "state", PolicySpelling.SelectorStates) ?? PolicyDefaults.SelectorState;
            selectors.Add(new DkimSelector(name, keyPath, state) { Position = entry.Key.Start });
        }

        if (selectors.Count > 0 && !selectors.Exists(static s => s.State == SelectorState.Active))
        {
            diagnostics.Warning(DiagnosticCode.NoActiveSelector, dkim.Find("selectors")!.Key.Start,
                $"domain '{domain}' has no active selector, so its mail is not signed; set one selector's state: active once its DNS record is published");
        }

        // Names differ (even ignoring case), so an unstable sort gives the one order.
        selectors.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new DomainDkim([.. selectors], PolicyNodes.Boolean(dkim, "subdomains") ?? PolicyDefaults.SignSubdomains);
    }

    private static bool HasSelector(List<DkimSelector> selectors, string name)
    {
        foreach (var selector in selectors)
        {
            if (string.Equals(selector.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
