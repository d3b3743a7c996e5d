using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// The shape of <c>mail-policy.yaml</c>, version 1, with the description and default of every
/// key. Descriptions are written for the admin who reads them in an editor's tooltip.
/// Choices are spelled by <see cref="PolicySpelling"/> and defaults come from
/// <see cref="PolicyDefaults"/>, the table the binder applies.
/// </summary>
internal static class PolicySchema
{
    public const int CurrentVersion = 1;

    private static ScalarShape Text(string description) => new(description, new TextKind());

    private static ScalarShape Boolean(string description) => new(description, new BooleanKind());

    private static ScalarShape Choice(string description, params string[] choices) => new(description, new ChoiceKind(choices));

    private static ScalarShape Formatted(string description, ValueFormat format) => new(description, new FormattedKind(format));

    public static readonly IReadOnlyList<string> MilterActions = PolicySpelling.MilterActions.Texts;
    public static readonly IReadOnlyList<string> MilterStages = PolicySpelling.MilterStages.Texts;
    public static readonly IReadOnlyList<string> Canonicalizations = PolicySpelling.Canonicalizations.Texts;
    public static readonly IReadOnlyList<string> DkimModes = PolicySpelling.DkimModes.Texts;
    public static readonly IReadOnlyList<string> SelectorStates = PolicySpelling.SelectorStates.Texts;
    public static readonly IReadOnlyList<string> SpfAllResults = PolicySpelling.SpfAllResults.Texts;
    public static readonly IReadOnlyList<string> DmarcPolicies = PolicySpelling.DmarcDispositions.Texts;
    public static readonly IReadOnlyList<string> DmarcAlignments = PolicySpelling.DmarcAlignments.Texts;
    public static readonly IReadOnlyList<string> OutboundTlsLevels = PolicySpelling.OutboundTlsLevels.Texts;
    public static readonly IReadOnlyList<string> InboundTlsLevels = PolicySpelling.InboundTlsLevels.Texts;
    public static readonly IReadOnlyList<string> TlsProtocols = PolicySpelling.TlsProtocols.Texts;
    public static readonly IReadOnlyList<string> SmimeCiphers = PolicySpelling.SmimeCiphers.Texts;

    private static readonly ObjectShape Queue = new(
        "How long Postfix keeps undeliverable mail. Set through UCS's own UCR variables (mail/postfix/*), never as a second main.cf line.",
        [
            new("maximal_lifetime", Formatted("Give up on a message this long after it arrived and bounce it (Postfix maximal_queue_lifetime; UCS default 5d). Applies to mail already queued at its next attempt.", ValueFormats.Duration)),
            new("bounce_lifetime", Formatted("The same for bounce messages (Postfix bounce_queue_lifetime; UCS default 5d). Should not exceed maximal_lifetime.", ValueFormats.Duration)),
            new("delay_warning", Formatted("Warn the sender after this delay; 0 turns warnings off (Postfix delay_warning_time; UCS default 0h).", ValueFormats.Duration)),
        ]);

    private static readonly ObjectShape Milter = new(
        "One milter in the chain. The entry named 'opendkim' marks where OpenDKIM goes; its socket comes from dkim.socket.",
        [
            new("name", Formatted("A short name for this milter, used in messages and comments.", ValueFormats.MilterName), Required: true),
            new("socket", Formatted("Where the milter listens: HOST:PORT or the absolute path of a UNIX socket inside /var/spool/postfix. Leave out for 'opendkim'.", ValueFormats.Socket)),
            new("applies_to", new ListShape("Which mail the milter sees: smtpd (mail received over SMTP) and/or non_smtpd (mail submitted with sendmail on this host).",
                Choice("smtpd or non_smtpd", [.. MilterStages])), Default: PropertyDefault.Of(PolicySpelling.MilterStages, PolicyDefaults.MilterStages)),
        ]);

    private static readonly ObjectShape Milters = new(
        "Postfix's mail filters (milters), in the order mail passes through them.",
        [
            new("default_action", Choice("What Postfix does with mail when a milter is unreachable or fails (milter_default_action).", [.. MilterActions]), Default: PropertyDefault.Of(PolicySpelling.MilterActions, PolicyDefaults.MilterDefaultAction)),
            new("protocol", new ScalarShape("The milter protocol version Postfix speaks (milter_protocol).", new IntegerKind(2, 6)), Default: PropertyDefault.Of(PolicyDefaults.MilterProtocol)),
            new("chain", new ListShape("Milters in order. OpenDKIM is added last unless an entry named 'opendkim' places it.", Milter)),
        ]);

    private static readonly ObjectShape Postfix = new(
        "Postfix settings.",
        [
            new("queue", Queue),
            new("milters", Milters),
            new("parameters", new MapShape(
                "Further main.cf parameters, written into our own fragment (escape hatch). Parameters that UCS manages through a UCR variable are set through that variable instead.",
                Formatted("a Postfix parameter name", ValueFormats.ParameterName),
                Text("the parameter's value, exactly as in main.cf"))),
        ]);

    private static readonly ObjectShape SigningRule = new(
        "Sign mail from these senders with the key of one domain and selector.",
        [
            new("from", Formatted("Which senders: *@DOMAIN, LOCALPART@DOMAIN or *@*.DOMAIN.", ValueFormats.Sender), Required: true),
            new("domain", Formatted("The domain whose key signs (d= in the signature).", ValueFormats.Domain), Required: true),
            new("selector", Formatted("The selector whose key signs (s= in the signature); it must be active.", ValueFormats.Selector), Required: true),
        ]);

    private static readonly ObjectShape Dkim = new(
        "DKIM signing with OpenDKIM.",
        [
            new("enabled", Boolean("Sign mail with OpenDKIM. Set to false to turn signing off without deleting the domains' selectors."), Default: PropertyDefault.Of(PolicyDefaults.DkimEnabled)),
            new("socket", Formatted("Where OpenDKIM listens, written once and translated for Postfix and OpenDKIM: HOST:PORT or a UNIX socket path inside /var/spool/postfix.", ValueFormats.Socket), Default: PropertyDefault.Of(PolicyDefaults.DkimSocket)),
            new("canonicalization", Choice("header/body canonicalization; relaxed/relaxed survives the re-folding and re-encoding that mail systems do.", [.. Canonicalizations]), Default: PropertyDefault.Of(PolicySpelling.Canonicalizations, PolicyDefaults.Canonicalization)),
            new("mode", Choice("sign outgoing mail, verify incoming mail, or both.", [.. DkimModes]), Default: PropertyDefault.Of(PolicySpelling.DkimModes, PolicyDefaults.DkimMode)),
            new("key_folder", Formatted("The folder every selector's private key lies below (root:opendkim 0750). Not a system folder, and not one holding files the tool renders.", ValueFormats.KeyFolderPath), Default: PropertyDefault.Of(KeyFolder.Default)),
            new("sign_mynetworks", Boolean("Sign the mail of Postfix's mynetworks too: apply adds the host's effective mynetworks (postconf -x -h mynetworks) to the hosts OpenDKIM signs for. Set to false to sign only for the hosts listed here (and local submission)."), Default: PropertyDefault.Of(PolicyDefaults.SignMynetworks)),
            new("trusted_hosts", new ListShape("Clients whose mail is signed and never verified (OpenDKIM ExternalIgnoreList and, unless internal_hosts is set, InternalHosts). Loopback is always signed (local submission).",
                Formatted("an IP address, network or host name", ValueFormats.Host)), Default: PropertyDefault.Of(PolicyDefaults.TrustedHosts.Select(h => h.Text))),
            new("internal_hosts", new ListShape("Clients whose mail is signed (OpenDKIM InternalHosts), if different from trusted_hosts.",
                Formatted("an IP address, network or host name", ValueFormats.Host))),
            new("oversign_headers", new ListShape("Headers signed once more than they occur, so nobody can add a second one later (OpenDKIM OversignHeaders).",
                Formatted("a header name", ValueFormats.HeaderName)), Default: PropertyDefault.Of(PolicyDefaults.OversignHeaders)),
            new("signing", new ListShape("Extra signing rules. Without them every domain signs its own mail (and, with subdomains: true, its subdomains' mail) with its active selectors.", SigningRule)),
        ]);

    private static readonly ObjectShape Selector = new(
        "One DKIM key of a domain.",
        [
            new("key", Formatted("The private key file (PEM), below dkim.key_folder.", ValueFormats.AbsolutePath), Default: PropertyDefault.Described("KEY_FOLDER/DOMAIN/SELECTOR.private")),
            new("state", Choice("pending: published in DNS, not signing yet; active: signing; retired: still published, no longer signing.", [.. SelectorStates]), Default: PropertyDefault.Of(PolicySpelling.SelectorStates, PolicyDefaults.SelectorState)),
        ]);

    private static readonly ObjectShape DomainDkim = new(
        "This domain's DKIM keys.",
        [
            new("selectors", new MapShape("Selectors by name; date-based names (20261128) make rotation easy.",
                Formatted("a selector name", ValueFormats.Selector), Selector), Required: true),
            new("subdomains", Boolean("Also sign mail from every subdomain (*@*.DOMAIN) with this domain's key."), Default: PropertyDefault.Of(PolicyDefaults.SignSubdomains)),
        ]);

    private static readonly ObjectShape Spf = new(
        "The domain's SPF record (v=spf1 ...).",
        [
            new("mechanisms", new ListShape("Who may send mail for the domain, in order: mx, a, ip4:..., ip6:..., include:...",
                Formatted("an SPF mechanism", ValueFormats.Spf)), Required: true),
            new("all", Choice("What receivers do with mail from anybody else: fail (-all), softfail (~all), neutral (?all); pass (+all) is refused.", [.. SpfAllResults]), Default: PropertyDefault.Of(PolicySpelling.SpfAllResults, PolicyDefaults.SpfAll)),
        ]);

    private static readonly ObjectShape Dmarc = new(
        "The domain's DMARC record (_dmarc.DOMAIN).",
        [
            new("policy", Choice("What receivers do with mail that fails DMARC (p=).", [.. DmarcPolicies]), Required: true),
            new("subdomain_policy", Choice("The same for subdomains (sp=); defaults to policy.", [.. DmarcPolicies])),
            new("percent", new ScalarShape("Share of failing mail the policy applies to (pct=).", new IntegerKind(0, 100)), Default: PropertyDefault.Of(PolicyDefaults.DmarcPercent)),
            new("rua", new ListShape("Where aggregate reports go (rua=).", Formatted("a mailto: URI", ValueFormats.DmarcUri))),
            new("ruf", new ListShape("Where failure reports go (ruf=).", Formatted("a mailto: URI", ValueFormats.DmarcUri))),
            new("adkim", Choice("DKIM alignment (adkim=).", [.. DmarcAlignments]), Default: PropertyDefault.Of(PolicySpelling.DmarcAlignments, PolicyDefaults.DmarcDkimAlignment)),
            new("aspf", Choice("SPF alignment (aspf=).", [.. DmarcAlignments]), Default: PropertyDefault.Of(PolicySpelling.DmarcAlignments, PolicyDefaults.DmarcSpfAlignment)),
        ]);

    private static readonly ObjectShape Domain = new(
        "One mail domain.",
        [
            new("dkim", DomainDkim),
            new("spf", Spf),
            new("dmarc", Dmarc),
        ]);

    private static ScalarShape MinProtocol(string side) => Choice(
        $"The oldest TLS version the {side} accepts where TLS is mandatory (encrypt and stricter levels); written as >=VERSION. Opportunistic TLS (may) keeps Postfix's wider default, since refusing an old version there means sending in plain text instead.",
        [.. TlsProtocols]);

    private static readonly ObjectShape OutboundTls = new(
        "TLS when this server sends mail (the Postfix SMTP client).",
        [
            new("level", Choice("smtp_tls_security_level, set through UCS's UCR variable mail/postfix/tls/client/level (UCS default may). none: never; may: when offered; encrypt: always, unauthenticated; dane: DANE TLSA via DNSSEC, opportunistic where none are published; verify/secure: always, with a verified certificate.", [.. OutboundTlsLevels])),
            new("min_protocol", MinProtocol("Postfix SMTP client (smtp_tls_mandatory_protocols, UCR mail/postfix/tls/client/mandatory_protocols)")),
        ]);

    private static readonly ObjectShape InboundTls = new(
        "TLS when this server receives mail (the Postfix SMTP server).",
        [
            new("level", Choice("smtpd_tls_security_level, written into our main.cf fragment (UCS writes only smtpd_use_tls = yes, which this overrides). none: no STARTTLS; may: offer STARTTLS; encrypt: refuse mail without TLS (not for a public MX).", [.. InboundTlsLevels])),
            new("min_protocol", MinProtocol("Postfix SMTP server (smtpd_tls_mandatory_protocols, UCR mail/postfix/smtpd/tls/mandatory_protocols)")),
        ]);

    private static readonly ObjectShape Tls = new(
        "Transport encryption in Postfix.",
        [
            new("outbound", OutboundTls),
            new("inbound", InboundTls),
            new("destinations", new MapShape(
                "Per-destination levels that override outbound.level (a smtp_tls_policy_maps table, /etc/postfix/tls_policy_ucs-mail-config, looked up before UCS's own /etc/postfix/tls_policy).",
                Formatted("a next-hop destination", ValueFormats.TlsDestination),
                Choice("the TLS level for this destination", [.. OutboundTlsLevels]))),
        ]);

    private static readonly ObjectShape Smime = new(
        "Kopano WebApp's S/MIME plugin, written as /etc/kopano/webapp/config-smime.php (the package's original is kept as config-smime.php.debian).",
        [
            new("cipher", Choice("The cipher for encrypted mail (PLUGIN_SMIME_CIPHER). The plugin's old default 3DES is refused, as are DES and RC2; the plugin has no GCM mode.", [.. SmimeCiphers]), Default: PropertyDefault.Of(PolicySpelling.SmimeCiphers, PolicyDefaults.Cipher)),
            new("ca_certificates", new ListShape("Files or folders of CA certificates that verify signers (PLUGIN_SMIME_CACERTS).",
                Formatted("an absolute path", ValueFormats.CaPath)), Default: PropertyDefault.Of(PolicyDefaults.CaCertificates)),
            new("ocsp", Boolean("Check signers' certificates for revocation with OCSP (PLUGIN_SMIME_ENABLE_OCSP)."), Default: PropertyDefault.Of(PolicyDefaults.Ocsp)),
            new("remember_passphrase", Boolean("Let the browser remember the passphrase of the user's private key (PLUGIN_SMIME_PASSPHRASE_REMEMBER_BROWSER)."), Default: PropertyDefault.Of(PolicyDefaults.RememberPassphrase)),
        ]);

    private static readonly ObjectShape WebApp = new(
        "Kopano WebApp.",
        [
            new("smime", Smime),
        ]);

    public static readonly ObjectShape Root = new(
        "A UCS mail server's policy, applied by ucs-mail-config.",
        [
            new("version", new ScalarShape("The policy format version.", new IntegerKind(CurrentVersion, CurrentVersion, DiagnosticCode.UnsupportedVersion)), Required: true),
            new("postfix", Postfix),
            new("dkim", Dkim),
            new("domains", new MapShape("Mail domains by name.", Formatted("a domain name", ValueFormats.Domain), Domain)),
            new("tls", Tls),
            new("webapp", WebApp),
        ]);
}
