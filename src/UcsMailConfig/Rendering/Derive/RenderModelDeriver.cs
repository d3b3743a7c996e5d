using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Rendering.Derive;

/// <summary>
/// Derive: turns a <see cref="MailPolicy"/> into the <see cref="RenderModel"/> the templates
/// print. Every decision about generated content lives here, where it is tested, and none in
/// the templates. Pure and deterministic: the same policy always gives the same model.
/// </summary>
internal static class RenderModelDeriver
{
    private const int ConcurrentDnsFromDomains = 500;

    /// <summary>
    /// Without key files: DKIM records become comments; the milters are placed for UCS 5's stock
    /// 70_milter (what <c>render</c> writes, which never reads a host).
    /// </summary>
    public static RenderModel Derive(MailPolicy policy) => Derive(policy, DkimPublicKeys.None);

    /// <summary>With the public keys the caller has read, so DKIM records carry their <c>p=</c> values.</summary>
    public static RenderModel Derive(MailPolicy policy, DkimPublicKeys publicKeys) => Derive(policy, publicKeys, StockMilterTemplate.Ucs5, networks: null);

    /// <summary>
    /// For one host: <paramref name="milterTemplate"/> says which milter parameters the host's
    /// stock 70_milter writes from UCR variables; our milters go there as variables, and our
    /// fragment writes only the parameters it does not (DESIGN.md rule 2). <paramref name="networks"/>
    /// is the host's Postfix mynetworks, read by apply; null (render) leaves a note where apply adds it.
    /// </summary>
    internal static RenderModel Derive(MailPolicy policy, DkimPublicKeys publicKeys, StockMilterTemplate milterTemplate, PostfixNetworks? networks)
    {
        // The DNS records are most of a large policy's model and need nothing else derived
        // here: they are made beside the rest. A small policy is quicker without a thread.
        var dnsRecords = policy.Domains.Length >= ConcurrentDnsFromDomains
            ? Task.Run(() => DnsRecordDeriver.Derive(policy, publicKeys))
            : Task.FromResult(DnsRecordDeriver.Derive(policy, publicKeys));
        var mainCf = MainCfSections(policy, milterTemplate);
        var openDkim = policy.Dkim.Enabled ? OpenDkim(policy, networks) : null;
        var tlsPolicyMap = policy.Tls.Destinations.Select(d => new TlsPolicyRow(d.Destination.Text, OutputSpelling.Postfix(d.Level))).ToImmutableArray();
        var kopanoSmime = policy.Smime is { } smime ? KopanoSmime(smime) : null;

        var templates = new List<string>();
        var info = new List<InfoStanza>();
        if (mainCf.Length > 0)
        {
            templates.Add(TemplateCatalog.MainCfFragment);
            info.Add(Stanza(("Type", "subfile"), ("Multifile", "etc/postfix/main.cf"), ("Subfile", TemplateCatalog.UcrPath(TemplateCatalog.MainCfFragment))));
        }

        if (openDkim is not null)
        {
            var tables = new List<string> { TemplateCatalog.OpenDkimConf, TemplateCatalog.KeyTable, TemplateCatalog.SigningTable, TemplateCatalog.TrustedHosts };
            if (openDkim.InternalHosts is not null)
            {
                tables.Add(TemplateCatalog.InternalHosts);
            }

            templates.AddRange(tables);
            info.AddRange(tables.Select(FileStanza));
        }

        var hashTables = new List<string>();
        if (tlsPolicyMap.Length > 0)
        {
            templates.Add(TemplateCatalog.TlsPolicyMap);
            info.Add(FileStanza(TemplateCatalog.TlsPolicyMap));
            hashTables.Add("/" + TemplateCatalog.UcrPath(TemplateCatalog.TlsPolicyMap));
        }

        if (kopanoSmime is not null)
        {
            // As kopano-webapp-plugin-smime ships it: root's, readable by the web server's PHP.
            templates.Add(TemplateCatalog.KopanoSmimeConfig);
            info.Add(FileStanza(TemplateCatalog.KopanoSmimeConfig));
        }

        if (info.Count > 0)
        {
            templates.Add(TemplateCatalog.Info);
        }

        templates.Add(TemplateCatalog.UcrVariables);
        var dns = dnsRecords.GetAwaiter().GetResult();
        if (dns.Length > 0)
        {
            templates.Add(TemplateCatalog.DnsZone);
            templates.Add(TemplateCatalog.DnsPlain);
        }

        return new RenderModel([.. templates], mainCf, openDkim, UcrVariables(policy, milterTemplate), [.. info], dns, tlsPolicyMap, [.. hashTables], kopanoSmime)
        {
            PolicyFile = policy.Source,
        };
    }

    /// <summary>
    /// What Postfix would otherwise change in a message after OpenDKIM signed it, each of which
    /// breaks the signature's body hash at the receiver ("body hash did not verify"); measured
    /// through a real Postfix in tests/UcsMailConfig.Tests/MailFlow, evidence in docs/mail-flow.md.
    /// </summary>
    public static readonly ImmutableArray<PostfixSetting> SignatureSafeDelivery =
    [
        // A receiver without 8BITMIME would get 8-bit text re-encoded as quoted-printable.
        new("disable_mime_output_conversion", "yes"),

        // A line over 998 characters would be broken with CRLF SPACE (smtp_line_length_limit).
        new("smtp_line_length_limit", "0"),
    ];

    private static ImmutableArray<MainCfSection> MainCfSections(MailPolicy policy, StockMilterTemplate milterTemplate)
    {
        var sections = new List<MainCfSection>();
        var milters = policy.Postfix.Milters;
        if (milters.Chain.Length > 0)
        {
            var settings = new List<PostfixSetting>
            {
                new("milter_default_action", OutputSpelling.Postfix(milters.DefaultAction)),
                new("milter_protocol", milters.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            foreach (var parameter in StockMilterTemplate.Parameters.Where(p => !milterTemplate.Writes(p)))
            {
                var sockets = MilterSockets(policy, parameter).Select(m => m.Socket).ToList();
                if (sockets.Count > 0)
                {
                    settings.Add(new PostfixSetting(parameter, string.Join(", ", sockets)));
                }
            }

            // Once per message: not again when UCS's content filter re-injects it (docs/mail-flow.md,
            // "The signing rule"); a value in postfix.parameters replaces ours.
            if (milters.Chain.Any(m => m.Smtpd) && policy.Postfix.Parameters.All(p => p.Name != StockContentFilter.MilterMapsParameter))
            {
                settings.Add(new(StockContentFilter.MilterMapsParameter, StockContentFilter.MilterMapsValue));
            }

            var throughUcs = StockMilterTemplate.Parameters.Where(milterTemplate.Writes).ToList();
            var title = "milters, in order (postfix.milters, dkim.socket)"
                + (throughUcs.Count > 0 ? $"; {string.Join(" and ", throughUcs)} through UCS's 70_milter" : "");
            sections.Add(new MainCfSection(title, [.. settings]));
        }

        // Only while something signs, and a value in postfix.parameters wins over ours.
        var safeDelivery = SignsMail(policy)
            ? SignatureSafeDelivery.Where(d => policy.Postfix.Parameters.All(p => p.Name != d.Name)).ToList()
            : [];
        if (safeDelivery.Count > 0)
        {
            sections.Add(new MainCfSection("keep DKIM signatures intact on delivery (see docs/mail-flow.md)", [.. safeDelivery]));
        }

        var tls = new List<PostfixSetting>();
        if (policy.Tls.InboundLevel is { } inbound)
        {
            // UCS writes smtpd_use_tls = yes; a non-empty smtpd_tls_security_level overrides it
            // (Postfix documents it so, and postconf reads both without a warning).
            tls.Add(new(StockUcsParameters.InboundTlsLevel, OutputSpelling.Postfix(inbound)));
        }

        if (policy.Tls.UsesDane)
        {
            tls.Add(new(StockUcsParameters.DnsSupportLevel, "dnssec"));
        }

        if (tls.Count > 0)
        {
            sections.Add(new MainCfSection("transport encryption (tls; the client level and protocols are UCR variables)", [.. tls]));
        }

        var extra = policy.Postfix.Parameters.Where(p => StockUcsParameters.Find(p.Name) is null).ToList();
        if (extra.Count > 0)
        {
            sections.Add(new MainCfSection("further parameters (postfix.parameters)", [.. extra.Select(p => new PostfixSetting(p.Name, p.Value))]));
        }

        return [.. sections];
    }

    private static bool SignsMail(MailPolicy policy) =>
        policy.Dkim.Enabled && policy.Dkim.Mode != DkimMode.Verify
        && policy.Domains.Any(d => d.Dkim is not null && d.Dkim.Selectors.Any(s => s.State == SelectorState.Active));

    /// <summary>The chain's milters for one parameter, in policy order, with their Postfix sockets and UCR variable names.</summary>
    private static IEnumerable<(string Variable, string Socket)> MilterSockets(MailPolicy policy, string parameter)
    {
        var chain = policy.Postfix.Milters.Chain;
        return chain
            .Select((milter, position) => (milter, position))
            .Where(m => parameter == StockMilterTemplate.SmtpdMilters ? m.milter.Smtpd : m.milter.NonSmtpd)
            .Select(m => (
                StockMilterTemplate.OurVariable(parameter, m.position, chain.Length, m.milter.Name),
                MilterSocketSyntax.ForPostfix(m.milter.Socket ?? policy.Dkim.Socket)));
    }

    private static OpenDkimConfig OpenDkim(MailPolicy policy, PostfixNetworks? networks)
    {
        var dkim = policy.Dkim;
        var keyTable = new List<KeyTableRow>();
        var signingTable = new List<SigningTableRow>();
        foreach (var domain in policy.Domains)
        {
            if (domain.Dkim is null)
            {
                continue;
            }

            foreach (var selector in domain.Dkim.Selectors)
            {
                if (selector.State != SelectorState.Active)
                {
                    continue;
                }

                var keyName = domain.Name.DkimRecordName(selector.Name);
                keyTable.Add(new KeyTableRow(keyName, domain.Name.Value, selector.Name, selector.KeyPath));
                signingTable.Add(new SigningTableRow($"*@{domain.Name}", keyName));
                if (domain.Dkim.Subdomains)
                {
                    signingTable.Add(new SigningTableRow($"*@*.{domain.Name}", keyName));
                }
            }
        }

        signingTable.AddRange(dkim.Signing.Select(rule => new SigningTableRow(rule.From.Text, rule.Domain.DkimRecordName(rule.Selector))));
        var (orderedSigning, multiple) = OrderSigningTable(signingTable);

        var trustedPath = "/" + TemplateCatalog.UcrPath(TemplateCatalog.TrustedHosts);
        var settings = new List<ConfigSetting>
        {
            new("Syslog", "yes"),
            new("SyslogSuccess", "yes"),
            new("LogWhy", "yes"),
            new("UserID", "opendkim"),
            new("UMask", "007"),
            new("PidFile", "/run/opendkim/opendkim.pid"),
            new("Socket", MilterSocketSyntax.ForOpenDkim(dkim.Socket)),
            new("Mode", OutputSpelling.OpenDkim(dkim.Mode)),
            new("Canonicalization", OutputSpelling.OpenDkim(dkim.Canonicalization)),
        };
        if (dkim.OversignHeaders.Length > 0)
        {
            settings.Add(new("OversignHeaders", string.Join(",", dkim.OversignHeaders)));
        }

        settings.Add(new("MultipleSignatures", multiple ? "yes" : "no"));
        settings.Add(new("KeyTable", "/" + TemplateCatalog.UcrPath(TemplateCatalog.KeyTable)));
        settings.Add(new("SigningTable", "refile:/" + TemplateCatalog.UcrPath(TemplateCatalog.SigningTable)));
        settings.Add(new("ExternalIgnoreList", trustedPath));
        settings.Add(new("InternalHosts", dkim.InternalHosts is null ? trustedPath : "/" + TemplateCatalog.UcrPath(TemplateCatalog.InternalHosts)));

        // Key names are unique (a selector has no '_', so KEYNAME splits one way only).
        keyTable.SortIfNeeded(static (a, b) => string.CompareOrdinal(a.KeyName, b.KeyName));
        return new OpenDkimConfig(
            [.. settings],
            [.. keyTable],
            orderedSigning,
            dkim.InternalHosts is null ? SignedHosts(dkim, dkim.TrustedHosts, networks) : [.. dkim.TrustedHosts.Select(h => h.Text)],
            dkim.InternalHosts is { } internalHosts ? SignedHosts(dkim, internalHosts, networks) : null);
    }

    /// <summary>
    /// The lines of the file InternalHosts reads, the signing rule's "who" (docs/mail-flow.md):
    /// the policy's list, loopback (local submission is always our own mail), and, with
    /// dkim.sign_mynetworks, Postfix's effective mynetworks as apply read it on the host.
    /// </summary>
    private static ImmutableArray<string> SignedHosts(DkimPolicy dkim, ImmutableArray<HostPattern> listed, PostfixNetworks? networks)
    {
        var lines = listed.Concat(HostPattern.Loopback.Where(l => !listed.Contains(l))).Select(h => h.Text).ToList();
        if (!dkim.SignMynetworks)
        {
            return [.. lines];
        }

        if (networks is null)
        {
            lines.Add($"# apply adds Postfix's {PostfixNetworks.Parameter} here (dkim.sign_mynetworks; postconf -x -h {PostfixNetworks.Parameter} on the host)");
            return [.. lines];
        }

        lines.Add($"# Postfix's {PostfixNetworks.Parameter} (dkim.sign_mynetworks), read by apply with postconf -x -h {PostfixNetworks.Parameter}");
        lines.AddRange(networks.Hosts.Select(h => h.Text).Where(h => !lines.Contains(h)));
        return [.. lines];
    }

    /// <summary>
    /// refile: OpenDKIM uses the first matching line unless MultipleSignatures is on, so the
    /// most specific patterns come first: exact senders, then whole domains, then wildcard
    /// subdomains. A line listed twice is written once; a pattern with two keys needs
    /// MultipleSignatures. Sorted in place, not with LINQ: the table has a row per domain.
    /// </summary>
    private static (ImmutableArray<SigningTableRow> Rows, bool Multiple) OrderSigningTable(List<SigningTableRow> rows)
    {
        static int Rank(string pattern) =>
            pattern.StartsWith("*@*.", StringComparison.Ordinal) ? 2 : pattern.StartsWith("*@", StringComparison.Ordinal) ? 1 : 0;

        rows.SortIfNeeded(static (a, b) =>
        {
            var order = Rank(a.Pattern).CompareTo(Rank(b.Pattern));
            order = order != 0 ? order : string.CompareOrdinal(a.Pattern, b.Pattern);
            return order != 0 ? order : string.CompareOrdinal(a.KeyName, b.KeyName);
        });

        // Sorted, so equal lines and equal patterns are neighbours.
        var ordered = ImmutableArray.CreateBuilder<SigningTableRow>(rows.Count);
        var multiple = false;
        foreach (var row in rows)
        {
            if (ordered.Count > 0 && ordered[^1].Pattern == row.Pattern)
            {
                if (ordered[^1].KeyName == row.KeyName)
                {
                    continue;
                }

                multiple = true;
            }

            ordered.Add(row);
        }

        return (ordered.DrainToImmutable(), multiple);
    }

    private static ImmutableArray<UcrVariableSetting> UcrVariables(MailPolicy policy, StockMilterTemplate milterTemplate)
    {
        var queue = policy.Postfix.Queue;
        var settings = new List<UcrVariableSetting>();
        void Add(StockUcsParameters.Entry parameter, PostfixValue? value)
        {
            if (value is not null)
            {
                settings.Add(new UcrVariableSetting(parameter, value));
            }
        }

        Add(StockUcsParameters.MaximalQueueLifetime, queue.MaximalLifetime is { } maximal ? StockUcsParameters.MaximalQueueLifetime.Duration(maximal) : null);
        Add(StockUcsParameters.BounceQueueLifetime, queue.BounceLifetime is { } bounce ? StockUcsParameters.BounceQueueLifetime.Duration(bounce) : null);
        Add(StockUcsParameters.DelayWarningTime, queue.DelayWarning is { } warning ? StockUcsParameters.DelayWarningTime.Duration(warning) : null);
        var tls = policy.Tls;
        Add(StockUcsParameters.SmtpTlsSecurityLevel, tls.OutboundLevel is { } level ? new TextValue(OutputSpelling.Postfix(level)) : null);
        Add(StockUcsParameters.SmtpTlsMandatoryProtocols, tls.OutboundMinProtocol is { } client ? new ListValue(OutputSpelling.PostfixAtLeast(client)) : null);
        Add(StockUcsParameters.SmtpdTlsMandatoryProtocols, tls.InboundMinProtocol is { } server ? new ListValue(OutputSpelling.PostfixAtLeast(server)) : null);
        Add(StockUcsParameters.SmtpTlsPolicyMaps, tls.Destinations.Length > 0
            ? new ListValue($"hash:/{TemplateCatalog.UcrPath(TemplateCatalog.TlsPolicyMap)}, {StockUcsParameters.UcsTlsPolicyMaps}")
            : null);
        foreach (var parameter in policy.Postfix.Parameters)
        {
            if (StockUcsParameters.Find(parameter.Name) is { } stock)
            {
                Add(stock, stock.Parse(parameter.Value));
            }
        }

        foreach (var parameter in StockMilterTemplate.Parameters.Where(milterTemplate.Writes))
        {
            settings.AddRange(MilterSockets(policy, parameter).Select(m => new UcrVariableSetting(StockMilterTemplate.Entry(m.Variable, parameter), new TextValue(m.Socket))));
        }

        return [.. settings.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    private static KopanoSmimeConfig KopanoSmime(SmimePolicy smime) => new(
    [
        // The plugin reads every one of these; a missing constant is a fatal error in PHP 8.
        new("PLUGIN_SMIME_USER_DEFAULT_ENABLE_SMIME", "false"),
        new("PLUGIN_SMIME_CACERTS", PhpString(string.Join(';', smime.CaCertificates))),
        new("PLUGIN_SMIME_CIPHER", smime.Cipher switch
        {
            SmimeCipher.Aes128Cbc => "OPENSSL_CIPHER_AES_128_CBC",
            SmimeCipher.Aes192Cbc => "OPENSSL_CIPHER_AES_192_CBC",
            SmimeCipher.Aes256Cbc => "OPENSSL_CIPHER_AES_256_CBC",
            _ => throw new ArgumentOutOfRangeException(nameof(smime), smime.Cipher, "no such S/MIME cipher"),
        }),
        new("PLUGIN_SMIME_PASSPHRASE_REMEMBER_BROWSER", smime.RememberPassphrase ? "true" : "false"),
        new("PLUGIN_SMIME_ENABLE_OCSP", smime.Ocsp ? "true" : "false"),
        new("PLUGIN_SMIME_PROXY", PhpString("")),
        new("PLUGIN_SMIME_PROXY_PORT", PhpString("")),
        new("PLUGIN_SMIME_PROXY_USERPWD", PhpString("")),
    ]);

    /// <summary>A PHP single-quoted string: only the backslash and the quote are special there.</summary>
    private static string PhpString(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static InfoStanza FileStanza(string template) =>
        Stanza(("Type", "file"), ("File", TemplateCatalog.UcrPath(template)), ("User", "root"), ("Group", "root"), ("Mode", "0644"));

    private static InfoStanza Stanza(params (string Key, string Value)[] fields) =>
        new([.. fields.Select(f => new InfoField(f.Key, f.Value))]);
}
