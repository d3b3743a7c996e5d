using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// Builds the typed <see cref="MailPolicy"/> from a tree that <see cref="ShapeChecker"/> has
/// seen, applies defaults, and checks the rules that relate values to each other. Contract:
/// tolerant of the shape errors already reported (a value that does not parse is skipped,
/// never reported twice), never throws on bad input.
/// </summary>
internal sealed class PolicyBinder(DiagnosticBag diagnostics)
{
    public const string DefaultDkimSocket = "localhost:8891";

    public MailPolicy Bind(YamlMapping root)
    {
        var postfix = root["postfix"] as YamlMapping;
        var keyFolder = BindKeyFolder(root["dkim"] as YamlMapping);
        var domains = BindDomains(root["domains"] as YamlMapping, keyFolder);
        var dkim = BindDkim(root["dkim"] as YamlMapping, domains, root["dkim"]?.Start ?? root.Start) with { KeyFolder = keyFolder ?? KeyFolder.Default };
        var parametersNode = postfix?["parameters"] as YamlMapping;
        var tls = BindTls(root["tls"] as YamlMapping, parametersNode);
        return new MailPolicy(
            new PostfixPolicy(
                BindQueue(postfix?["queue"] as YamlMapping),
                BindMilters(postfix?["milters"] as YamlMapping, dkim),
                BindParameters(parametersNode, tls)),
            dkim,
            domains,
            tls,
            BindSmime((root["webapp"] as YamlMapping)?["smime"] as YamlMapping));
    }

    private QueuePolicy BindQueue(YamlMapping? queue)
    {
        var maximal = Duration(queue, "maximal_lifetime");
        var bounce = Duration(queue, "bounce_lifetime");
        if (maximal is { Seconds: 0 })
        {
            diagnostics.Warning(DiagnosticCode.OneDeliveryAttempt, queue!.Find("maximal_lifetime")!.Value.Start,
                "postfix.queue.maximal_lifetime 0 makes Postfix try each message once and bounce it at the first temporary failure; write a duration such as 1h unless that is meant");
        }

        if (maximal is not null && bounce is not null && bounce.Seconds > maximal.Seconds)
        {
            diagnostics.Warning(DiagnosticCode.BounceLongerThanQueue, queue!.Find("bounce_lifetime")!.Key.Start,
                $"postfix.queue.bounce_lifetime ({bounce}) is longer than maximal_lifetime ({maximal}); Postfix caps it at maximal_lifetime");
        }

        return new QueuePolicy(maximal, bounce, Duration(queue, "delay_warning"));
    }

    private MilterPolicy BindMilters(YamlMapping? milters, DkimPolicy dkim)
    {
        var chain = new List<MilterEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sockets = new Dictionary<MilterSocket, string>();
        if (dkim.Enabled)
        {
            sockets[dkim.Socket] = MilterEntry.OpenDkimName;
        }

        foreach (var item in Items(milters?["chain"]).OfType<YamlMapping>())
        {
            var name = Scalar(item, "name");
            if (name is null || !Identifiers.IsMilterName(name))
            {
                continue;
            }

            var at = item.Find("name")!.Value.Start;
            if (!names.Add(name))
            {
                diagnostics.Error(DiagnosticCode.DuplicateMilter, at, $"milter '{name}' is listed twice in postfix.milters.chain; list each milter once");
                continue;
            }

            var stages = Items(item["applies_to"]).OfType<YamlScalar>().Select(s => s.Value).ToList();
            var appliesTo = item["applies_to"] is null ? PolicySchema.MilterStages.ToList() : stages;
            if (item["applies_to"] is YamlSequence { Items.Count: 0 } empty)
            {
                diagnostics.Error(DiagnosticCode.MilterWithoutStage, empty.Start,
                    $"milter '{name}' applies_to is empty, so it would never run; list smtpd and/or non_smtpd, or remove the milter");
            }

            var socketText = Scalar(item, "socket");
            if (name == MilterEntry.OpenDkimName)
            {
                if (socketText is not null)
                {
                    diagnostics.Error(DiagnosticCode.OpenDkimMilterMisplaced, item.Find("socket")!.Key.Start,
                        "the 'opendkim' entry takes its socket from dkim.socket; remove 'socket' here so the two cannot differ");
                }
                else if (!dkim.Enabled)
                {
                    diagnostics.Error(DiagnosticCode.OpenDkimMilterMisplaced, at,
                        "the chain names 'opendkim' but DKIM is not enabled; enable dkim or remove this entry");
                }
                else
                {
                    chain.Add(new MilterEntry(name, null, appliesTo.Contains("smtpd"), appliesTo.Contains("non_smtpd")));
                }

                continue;
            }

            if (socketText is null)
            {
                if (item["socket"] is null)
                {
                    diagnostics.Error(DiagnosticCode.MissingKey, item.Start, $"milter '{name}' needs a 'socket': {MilterSocket.Expectation}");
                }

                continue;
            }

            if (!MilterSocket.TryParse(socketText, out var socket))
            {
                continue;
            }

            var socketAt = item.Find("socket")!.Value.Start;
            CheckChroot(socket, socketAt, $"postfix.milters.chain '{name}'");
            CheckNotExpanded(socket, socketAt, $"postfix.milters.chain '{name}'", "the milter");
            if (sockets.TryGetValue(socket, out var other))
            {
                diagnostics.Error(DiagnosticCode.DuplicateMilter, socketAt,
                    $"milter '{name}' uses the same socket as '{other}'; each milter needs its own socket");
            }
            else
            {
                sockets[socket] = name;
            }

            chain.Add(new MilterEntry(name, socket, appliesTo.Contains("smtpd"), appliesTo.Contains("non_smtpd")));
        }

        if (dkim.Enabled && !chain.Any(m => m.IsOpenDkim))
        {
            chain.Add(new MilterEntry(MilterEntry.OpenDkimName, null, Smtpd: true, NonSmtpd: true));
        }

        if (chain.Count == 0 && milters is not null)
        {
            foreach (var key in new[] { "default_action", "protocol" }.Select(k => milters.Find(k)).OfType<YamlEntry>())
            {
                diagnostics.Warning(DiagnosticCode.MilterSettingsWithoutMilters, key.Key.Start,
                    $"postfix.milters.{key.Key.Value} has no effect: no milter is configured (DKIM is off and the chain is empty)");
            }
        }

        var protocol = ScalarValues.TryInteger(Scalar(milters, "protocol") ?? "6", out var p) ? p : 6;
        return new MilterPolicy(Scalar(milters, "default_action") ?? "accept", protocol, [.. chain]);
    }

    private ImmutableArray<PostfixParameter> BindParameters(YamlMapping? parameters, TlsPolicy tls)
    {
        var result = new List<PostfixParameter>();
        foreach (var entry in parameters?.Entries ?? [])
        {
            var name = entry.Key.Value;
            if (!Identifiers.IsParameterName(name) || entry.Value is not YamlScalar { IsNull: false } value)
            {
                continue;
            }

            var stock = StockUcsParameters.Find(name);
            if (StockUcsParameters.MilterParameters.Contains(name))
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} is written from postfix.milters and dkim; set it there instead");
            }
            else if (name == StockUcsParameters.InboundTlsLevel)
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} has its own policy key; use tls.inbound.level instead");
            }
            else if (name == StockUcsParameters.DnsSupportLevel && tls.UsesDane)
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} is written as 'dnssec' because the tls section uses dane, which needs DNSSEC answers; remove it here");
            }
            else if (stock is { UcrVariable: null })
            {
                diagnostics.Error(DiagnosticCode.ParameterManagedByUcs, entry.Key.Start,
                    $"postfix.parameters.{name} cannot be set by the policy: {stock.Hint}");
            }
            else if (stock is { PolicyKey: not null })
            {
                diagnostics.Error(DiagnosticCode.ParameterOwnedByPolicy, entry.Key.Start,
                    $"postfix.parameters.{name} has its own policy key; use {stock.PolicyKey} instead (it sets the UCR variable {stock.UcrVariable})");
            }
            else
            {
                result.Add(new PostfixParameter(name, value.Value));
            }
        }

        return [.. result.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    private DkimPolicy BindDkim(YamlMapping? dkim, ImmutableArray<DomainPolicy> domains, SourcePosition at)
    {
        var hasSelectors = domains.Any(d => d.Dkim is { Selectors.Length: > 0 });
        // An unreadable 'enabled' was reported already; judging the rest by it would report twice.
        var enabledReadable = dkim?.Find("enabled") is null || Boolean(dkim, "enabled") is not null;
        var enabled = dkim is null ? hasSelectors : dkim.Find("enabled") is null || (Boolean(dkim, "enabled") ?? hasSelectors);
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

        MilterSocket.TryParse(DefaultDkimSocket, out var socket);
        if (Scalar(dkim, "socket") is { } socketText && MilterSocket.TryParse(socketText, out var parsed))
        {
            socket = parsed;
            CheckChroot(socket, dkim!.Find("socket")!.Value.Start, "dkim.socket");
            CheckNotExpanded(socket, dkim.Find("socket")!.Value.Start, "dkim.socket", "OpenDKIM");
        }

        var trusted = Hosts(dkim?["trusted_hosts"]) ?? [new HostPattern("127.0.0.1"), new HostPattern("::1")];
        var internalHosts = Hosts(dkim?["internal_hosts"]);
        var oversign = dkim?["oversign_headers"] is { } headers
            ? [.. Items(headers).OfType<YamlScalar>().Select(s => s.Value).Where(Identifiers.IsHeaderName)]
            : ImmutableArray.Create("From");

        return new DkimPolicy(
            enabled,
            socket,
            Scalar(dkim, "canonicalization") ?? "relaxed/relaxed",
            Scalar(dkim, "mode") ?? "sign",
            trusted,
            internalHosts,
            oversign,
            BindSigningRules(dkim?["signing"], domains));
    }

    private ImmutableArray<SigningRule> BindSigningRules(YamlNode? signing, ImmutableArray<DomainPolicy> domains)
    {
        var rules = new List<SigningRule>();
        Dictionary<DomainName, DomainPolicy>? byName = null;
        foreach (var item in Items(signing).OfType<YamlMapping>())
        {
            var fromText = Scalar(item, "from");
            if (fromText is not null && SenderPattern.IsCatchAll(fromText))
            {
                diagnostics.Error(DiagnosticCode.CatchAllSigning, item.Find("from")!.Value.Start,
                    $"signing rule from {Text.Quote(fromText)} would sign mail of every domain, including forged and relayed mail; name a domain, e.g. *@example.com");
                continue;
            }

            if (fromText is null || !SenderPattern.TryParse(fromText, out var from)
                || Scalar(item, "domain") is not { } domainText || !DomainName.TryParse(domainText, out var domain)
                || Scalar(item, "selector") is not { } selector || !DkimSelectorName.IsValid(selector))
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
                    $"selector '{selector}' of '{domain}' is {key.State.ToString().ToLowerInvariant()}; only active selectors sign (set its state: active once its DNS record is published)");
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
    private string? BindKeyFolder(YamlMapping? dkim)
    {
        if (dkim?["key_folder"] is null)
        {
            return KeyFolder.Default;
        }

        if (Scalar(dkim, "key_folder") is not { } folder || !FilePath.IsSafeAbsolute(folder))
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

    private ImmutableArray<DomainPolicy> BindDomains(YamlMapping? domains, string? keyFolder)
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
                BindSpf(name, domain["spf"] as YamlMapping),
                BindDmarc(name, domain["dmarc"] as YamlMapping)));
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
            var keyPath = Scalar(selector, "key") ?? DkimSelectorName.DefaultKeyPath(keyFolder ?? KeyFolder.Default, domain, name);
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

            var state = Scalar(selector, "state") switch
            {
                "pending" => SelectorState.Pending,
                "retired" => SelectorState.Retired,
                _ => SelectorState.Active,
            };
            selectors.Add(new DkimSelector(name, keyPath, state) { Position = entry.Key.Start });
        }

        if (selectors.Count > 0 && !selectors.Exists(static s => s.State == SelectorState.Active))
        {
            diagnostics.Warning(DiagnosticCode.NoActiveSelector, dkim.Find("selectors")!.Key.Start,
                $"domain '{domain}' has no active selector, so its mail is not signed; set one selector's state: active once its DNS record is published");
        }

        // Names differ (even ignoring case), so an unstable sort gives the one order.
        selectors.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new DomainDkim([.. selectors], Boolean(dkim, "subdomains") ?? false);
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

    private SpfPolicy? BindSpf(DomainName domain, YamlMapping? spf)
    {
        if (spf is null)
        {
            return null;
        }

        var items = spf["mechanisms"] is YamlSequence sequence ? sequence.Items : [];
        var mechanisms = new List<SpfMechanism>(items.Count);
        var all = Scalar(spf, "all") ?? "fail";
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
                    $"{Text.Quote(text.Value)} in spf.mechanisms of '{domain}' would end the record a second time; the record ends with spf.all (now: {all}); remove it here and set spf.all: fail, softfail or neutral");
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

        if (all == "pass")
        {
            diagnostics.Error(DiagnosticCode.SpfAllPass, spf.Find("all")!.Value.Start,
                $"spf.all: pass (+all) lets every host on the internet send mail as '{domain}'; use fail, softfail or neutral");
        }

        CheckTxtLength(SpfFixedChars + mechanisms.Sum(m => m.Text.Length + 1), spf, $"the SPF record of '{domain}'");
        return new SpfPolicy([.. mechanisms], all);
    }

    private DmarcPolicy? BindDmarc(DomainName domain, YamlMapping? dmarc)
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

        var reports = Strings(dmarc["rua"]).AddRange(Strings(dmarc["ruf"]));
        CheckTxtLength(DmarcFixedChars + reports.Sum(r => r.Length + 1), dmarc, $"the DMARC record of '{domain}'");
        return new DmarcPolicy(
            Scalar(dmarc, "policy") ?? "none",
            Scalar(dmarc, "subdomain_policy"),
            ScalarValues.TryInteger(Scalar(dmarc, "percent") ?? "100", out var percent) ? percent : 100,
            Strings(dmarc["rua"]),
            Strings(dmarc["ruf"]),
            Scalar(dmarc, "adkim") ?? "relaxed",
            Scalar(dmarc, "aspf") ?? "relaxed");
    }

    private static readonly string[] MandatoryOutboundLevels = ["encrypt", "verify", "secure"];

    private TlsPolicy BindTls(YamlMapping? tls, YamlMapping? parameters)
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
                || entry.Value is not YamlScalar { IsNull: false } levelNode || !PolicySchema.OutboundTlsLevels.Contains(levelNode.Value))
            {
                continue;
            }

            if (!seen.Add(destination))
            {
                diagnostics.Error(DiagnosticCode.DuplicateKey, entry.Key.Start,
                    $"tls.destinations names {destination} twice (destinations are not case-sensitive); list each destination once");
                continue;
            }

            if (levelNode.Value == TlsPolicy.Dane && !destination.IsDnsName)
            {
                diagnostics.Error(DiagnosticCode.DaneWithoutDnsName, levelNode.Start,
                    $"tls.destinations.{destination}: dane looks up TLSA records under the destination's DNS name, and an address literal has none; use the host's name ([mail.example.com]) or the level encrypt, verify or secure");
                continue;
            }

            rules.Add(new TlsDestinationRule(destination, levelNode.Value));
        }

        var policy = new TlsPolicy(
            Scalar(outbound, "level"),
            Scalar(outbound, "min_protocol"),
            Scalar(inbound, "level"),
            Scalar(inbound, "min_protocol"),
            [.. rules.OrderBy(r => r.Destination.Text, StringComparer.Ordinal)]);

        if (policy.OutboundLevel is { } level && MandatoryOutboundLevels.Contains(level))
        {
            CheckTlsRelay(level, outbound!.Find("level")!.Value.Start, parameters, policy);
        }

        if (policy.UsesDane)
        {
            var first = policy.OutboundLevel == TlsPolicy.Dane
                ? outbound!.Find("level")!.Value.Start
                : (tls["destinations"] as YamlMapping)!.Entries.First(e => e.Value is YamlScalar { Value: TlsPolicy.Dane }).Value.Start;
            diagnostics.Warning(DiagnosticCode.DaneNeedsValidatingResolver, first,
                "dane works only with a DNSSEC-validating resolver (e.g. unbound on this host, named in /etc/resolv.conf); without one Postfix sees no TLSA records and falls back to opportunistic TLS (may). ucs-mail-config sets smtp_dns_support_level = dnssec");
        }

        if (policy.InboundLevel == "encrypt")
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
        var relayhost = Scalar(parameters, "relayhost");
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

    private SmimePolicy? BindSmime(YamlMapping? smime)
    {
        if (smime is null)
        {
            return null;
        }

        var cipher = Scalar(smime, "cipher") switch
        {
            "aes-128-cbc" => SmimeCipher.Aes128Cbc,
            "aes-192-cbc" => SmimeCipher.Aes192Cbc,
            _ => SmimeCipher.Aes256Cbc,
        };
        var caCertificates = smime["ca_certificates"] is { } list
            ? [.. Items(list).OfType<YamlScalar>().Select(s => s.Value).Where(p => ValueSafety.IsSafe(p) && ValueFormats.CaPath.IsValid(p))]
            : ImmutableArray.Create("/etc/ssl/certs");
        return new SmimePolicy(cipher, caCertificates, Boolean(smime, "ocsp") ?? true, Boolean(smime, "remember_passphrase") ?? false);
    }

    private void CheckChroot(MilterSocket socket, SourcePosition at, string where)
    {
        if (socket is UnixMilterSocket unix && !unix.Path.StartsWith(MilterSocket.PostfixChroot, StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCode.SocketOutsideChroot, at,
                $"{where}: the UNIX socket {Text.Quote(unix.Path)} is outside Postfix's chroot, where smtpd cannot reach it; put it under {MilterSocket.PostfixChroot} (e.g. {MilterSocket.PostfixChroot}opendkim/opendkim.sock) or use HOST:PORT");
        }
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

    // Postfix expands $name in main.cf values; the other side reads the same text literally, so the two would disagree.
    private void CheckNotExpanded(MilterSocket socket, SourcePosition at, string where, string reader)
    {
        if (socket is UnixMilterSocket unix && unix.Path.Contains('$'))
        {
            diagnostics.Error(DiagnosticCode.PostfixExpandsValue, at,
                $"{where}: the UNIX socket {Text.Quote(unix.Path)} contains '$', which Postfix expands as a parameter while {reader} takes it literally; write the path without '$'");
        }
    }

    private static ImmutableArray<HostPattern>? Hosts(YamlNode? node) =>
        node is null ? null : [.. Items(node).OfType<YamlScalar>().Select(s => HostPattern.TryParse(s.Value, out var h) ? h : null).OfType<HostPattern>()];

    private static ImmutableArray<string> Strings(YamlNode? node)
    {
        if (node is not YamlSequence sequence)
        {
            return [];
        }

        var strings = ImmutableArray.CreateBuilder<string>(sequence.Items.Count);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (sequence.Items[i] is YamlScalar scalar)
            {
                strings.Add(scalar.Value);
            }
        }

        return strings.DrainToImmutable();
    }

    private static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequence sequence ? sequence.Items : [];

    // Unsafe values were reported by the shape check; rules must not judge (and quote) them again.
    private static string? Scalar(YamlMapping? mapping, string key) =>
        mapping?[key] is YamlScalar { IsNull: false } scalar && ValueSafety.IsSafe(scalar.Value) ? scalar.Value : null;

    private static PostfixDuration? Duration(YamlMapping? mapping, string key) =>
        Scalar(mapping, key) is { } text && PostfixDuration.TryParse(text, out var duration) ? duration : null;

    private static bool? Boolean(YamlMapping? mapping, string key) =>
        Scalar(mapping, key) is { } text && ScalarValues.TryBoolean(text, out var value) ? value : null;
}
