using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Binds the dkim section: signing on or off, OpenDKIM's socket and settings, the key folder and
/// the extra signing rules checked against the domains' selectors. Contract as <see cref="PolicyBinder"/>'s.
/// </summary>
internal sealed class DkimBinder(DiagnosticBag diagnostics)
{
    public DkimPolicy Bind(YamlMapping? dkim, ImmutableArray<DomainPolicy> domains, SourcePosition at)
    {
        var hasSelectors = domains.Any(d => d.Dkim is { Selectors.Length: > 0 });
        // An unreadable 'enabled' was reported already; judging the rest by it would report twice.
        var enabledReadable = dkim?.Find("enabled") is null || PolicyNodes.Boolean(dkim, "enabled") is not null;
        var enabled = dkim is null ? hasSelectors : dkim.Find("enabled") is null ? PolicyDefaults.DkimEnabled : PolicyNodes.Boolean(dkim, "enabled") ?? hasSelectors;
        if (dkim is not null && enabledReadable && enabled && !hasSelectors)
        {
            diagnostics.Error(DiagnosticCode.DkimWithoutDomains, dkim.Find("enabled")?.Key.Start ?? at,
                "DKIM is enabled but no domain has a selector; add domains.DOMAIN.dkim.selectors, or set dkim.enabled: false");
        }

        if (enabledReadable && !enabled && hasSelectors)
        {
            diagnostics.Warning(DiagnosticCode.DkimDisabledWithSelectors, dkim?.Find("enabled")?.Key.Start ?? at,
                "dkim.enabled is false: the domains' selectors are kept but nothing is signed");
        }

        MilterSocket.TryParse(PolicyDefaults.DkimSocket, out var socket);
        if (PolicyNodes.Scalar(dkim, "socket") is { } socketText && SocketRules.Parse(diagnostics, socketText, dkim!.Find("socket")!.Value.Start, "dkim.socket") is { } parsed)
        {
            socket = parsed;
            SocketRules.CheckChroot(diagnostics, socket, dkim!.Find("socket")!.Value.Start, "dkim.socket");
            SocketRules.CheckNotExpanded(diagnostics, socket, dkim.Find("socket")!.Value.Start, "dkim.socket", "OpenDKIM");
        }

        var trusted = PolicyNodes.Hosts(dkim?["trusted_hosts"]) ?? PolicyDefaults.TrustedHosts;
        var internalHosts = PolicyNodes.Hosts(dkim?["internal_hosts"]);
        var oversign = dkim?["oversign_headers"] is { } headers
            ? [.. PolicyNodes.Items(headers).OfType<YamlScalar>().Select(s => s.Value).Where(Identifiers.IsHeaderName)]
            : PolicyDefaults.OversignHeaders;

        return new DkimPolicy(
            enabled,
            socket,
            PolicyNodes.Choice(dkim, "canonicalization", PolicySpelling.Canonicalizations) ?? PolicyDefaults.Canonicalization,
            PolicyNodes.Choice(dkim, "mode", PolicySpelling.DkimModes) ?? PolicyDefaults.DkimMode,
            trusted,
            internalHosts,
            oversign,
            BindSigningRules(dkim?["signing"], domains))
        {
            SignMynetworks = PolicyNodes.Boolean(dkim, "sign_mynetworks") ?? PolicyDefaults.SignMynetworks,
        };
    }

    private ImmutableArray<SigningRule> BindSigningRules(YamlNode? signing, ImmutableArray<DomainPolicy> domains)
    {
        var rules = new List<SigningRule>();
        Dictionary<DomainName, DomainPolicy>? byName = null;
        foreach (var item in PolicyNodes.Items(signing).OfType<YamlMapping>())
        {
            var fromText = PolicyNodes.Scalar(item, "from");
            if (fromText is not null && SenderPattern.IsCatchAll(fromText))
            {
                diagnostics.Error(DiagnosticCode.CatchAllSigning, item.Find("from")!.Value.Start,
                    $"signing rule from {Text.Quote(fromText)} would sign mail of every domain, including forged and relayed mail; name a domain, e.g. *@example.com");
                continue;
            }

            if (fromText is null || !SenderPattern.TryParse(fromText, out var from)
                || PolicyNodes.Scalar(item, "domain") is not { } domainText || !DomainName.TryParse(domainText, out var domain)
                || PolicyNodes.Scalar(item, "selector") is not { } selector || !DkimSelectorName.IsValid(selector))
            {
                continue;
            }

            var domainAt = item.Find("domain")!.Value.Start;
            var selectorAt = item.Find("selector")!.Value.Start;
            // A dictionary, not a search per rule: many rules over many domains would be quadratic.
            byName ??= domains.ToDictionary(d => d.Name);
            var keys = byName.GetValueOrDefault(domain)?.Dkim;
            if (keys is null)
            {
                diagnostics.Error(DiagnosticCode.SigningUnknownDomain, domainAt,
                    $"signing rule uses domain '{domain}', which has no DKIM selectors; add domains.{domain}.dkim.selectors or use one of: {string.Join(", ", domains.Where(d => d.Dkim is not null).Select(d => d.Name))}");
                continue;
            }

            var key = keys.Selectors.FirstOrDefault(s => s.Name == selector);
            if (key is null)
            {
                diagnostics.Error(DiagnosticCode.SigningUnknownSelector, selectorAt,
                    $"domain '{domain}' has no selector {Text.Quote(selector)}; its selectors are: {string.Join(", ", keys.Selectors.Select(s => s.Name))}");
                continue;
            }

            if (key.State != SelectorState.Active)
            {
                diagnostics.Error(DiagnosticCode.SigningInactiveSelector, selectorAt,
                    $"selector '{selector}' of '{domain}' is {PolicySpelling.SelectorStates.Of(key.State)}; only active selectors sign (set its state: active once its DNS record is published)");
                continue;
            }

            if (!from.IsWithin(domain))
            {
                diagnostics.Warning(DiagnosticCode.SigningDomainMismatch, item.Find("from")!.Value.Start,
                    $"mail from {from.Text} is signed with d={domain}; receivers' DMARC checks need the From domain to align with d=");
            }

            rules.Add(new SigningRule(from, domain, selector));
        }

        return [.. rules];
    }

    /// <summary>dkim.key_folder, the default when it is missing, null when it is not usable (reported once, here or by the shape check).</summary>
    public string? BindKeyFolder(YamlMapping? dkim)
    {
        if (dkim?["key_folder"] is null)
        {
            return KeyFolder.Default;
        }

        if (PolicyNodes.Scalar(dkim, "key_folder") is not { } folder || !FilePath.IsSafeAbsolute(folder))
        {
            return null;
        }

        if (KeyFolder.Problem(folder) is { } problem)
        {
            diagnostics.Error(DiagnosticCode.KeyFolderNotAllowed, dkim!.Find("key_folder")!.Value.Start,
                $"dkim.key_folder {Text.Quote(folder)} cannot hold DKIM keys: {problem}; use {KeyFolder.Expectation}");
            return null;
        }

        return folder;
    }
}
