namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// Postfix parameters that stock UCS templates already write into main.cf (UCS-FACTS.md,
/// "The stock UCS Postfix configuration"). Writing one of them again in our fragment makes
/// Postfix warn "overriding earlier entry", so each is set through its UCR variable, or
/// refused where UCS derives it. This table is the one place that knows the mapping.
/// </summary>
internal static class StockUcsParameters
{
    /// <summary>
    /// One stock parameter. <see cref="UcrVariable"/> null: UCS derives it and the policy may
    /// not set it. <see cref="PolicyKey"/>: the policy key that sets it, when there is one.
    /// </summary>
    public sealed record Entry(string Parameter, string? UcrVariable, string? PolicyKey, string Hint);

    private const string ManagedByUcs = "stock UCS templates write it";

    // From univention-mail-postfix's main.cf.d/10_general and 60_tls (UCS 5.x source); the
    // variable is the one the stock fragment reads, so setting it changes the one line UCS writes.
    // 60_tls writes smtpd_use_tls = yes as fixed text and no smtpd_tls_security_level at all.
    public static readonly IReadOnlyList<Entry> All =
    [
        new("maximal_queue_lifetime", "mail/postfix/maximal_queue_lifetime", "postfix.queue.maximal_lifetime", "UCS default 5d"),
        new("bounce_queue_lifetime", "mail/postfix/bounce_queue_lifetime", "postfix.queue.bounce_lifetime", "UCS default 5d"),
        new("delay_warning_time", "mail/postfix/delay_warning_time", "postfix.queue.delay_warning", "UCS default 0h"),
        new("message_size_limit", "mail/messagesizelimit", null, ManagedByUcs),
        new("mailbox_size_limit", "mail/localmailboxsizelimit", null, ManagedByUcs),
        new("relayhost", "mail/relayhost", null, ManagedByUcs),
        new("inet_protocols", "mail/postfix/inet/protocols", null, ManagedByUcs),
        new("inet_interfaces", "mail/postfix/inet/interfaces", null, ManagedByUcs),
        new("myorigin", "mail/postfix/myorigin", null, ManagedByUcs),
        new("mydestination", "mail/postfix/mydestination", null, ManagedByUcs),
        new("mynetworks", "mail/postfix/mynetworks", null, ManagedByUcs),
        new("mynetworks_style", "mail/postfix/mynetworks_style", null, ManagedByUcs),
        new("masquerade_domains", "mail/postfix/masquerade/domains", null, ManagedByUcs),
        new("masquerade_exceptions", "mail/postfix/masquerade/exceptions", null, ManagedByUcs),
        new("relay_domains", "mail/postfix/relay/domains", null, ManagedByUcs),
        new("transport_maps", "mail/postfix/maps/transport", null, ManagedByUcs),
        new("smtp_helo_name", "mail/smtp/helo/name", null, ManagedByUcs),
        new("smtp_host_lookup", "mail/postfix/smtp/hostlookup", null, ManagedByUcs),
        new("smtpd_banner", "mail/postfix/smtpd/banner", null, ManagedByUcs),
        new("smtputf8_enable", "mail/postfix/smtputf8_enable", null, ManagedByUcs),
        new("always_bcc", "mail/archivefolder", null, ManagedByUcs),
        new("smtp_tls_security_level", "mail/postfix/tls/client/level", "tls.outbound.level", "UCS default may"),
        new("smtp_tls_mandatory_protocols", "mail/postfix/tls/client/mandatory_protocols", "tls.outbound.min_protocol", "UCS default !SSLv2"),
        new("smtp_tls_protocols", "mail/postfix/tls/client/protocols", null, ManagedByUcs),
        new("smtp_tls_exclude_ciphers", "mail/postfix/tls/client/exclude_ciphers", null, ManagedByUcs),
        new("smtp_tls_policy_maps", "mail/postfix/tls/policy/maps", "tls.destinations", "UCS default hash:/etc/postfix/tls_policy"),
        new("smtpd_tls_mandatory_protocols", "mail/postfix/smtpd/tls/mandatory_protocols", "tls.inbound.min_protocol", "UCS default !SSLv2"),
        new("smtpd_tls_protocols", "mail/postfix/smtpd/tls/protocols", null, ManagedByUcs),
        new("smtpd_tls_exclude_ciphers", "mail/postfix/smtpd/tls/exclude_ciphers", null, ManagedByUcs),
        new("smtpd_tls_cert_file", "mail/postfix/ssl/certificate", null, ManagedByUcs),
        new("smtpd_tls_key_file", "mail/postfix/ssl/key", null, ManagedByUcs),
        new("smtpd_tls_CAfile", "mail/postfix/ssl/cafile", null, ManagedByUcs),
        new("smtpd_tls_CApath", "mail/postfix/ssl/capath", null, ManagedByUcs),
        new("myhostname", null, null, "UCS writes it from the UCR variables hostname and domainname; change those with 'ucr set'"),
        new("mydomain", null, null, "UCS derives it from the UCR variable domainname"),
        new("disable_dns_lookups", null, null, "UCS writes it from the UCR variable mail/postfix/dnslookups (true/false); set that with 'ucr set'"),
        new("soft_bounce", null, null, "UCS writes it from the UCR variable mail/postfix/softbounce (true/false); set that with 'ucr set'"),
        new("disable_vrfy_command", null, null, "UCS writes it from the UCR variable mail/smtp/VRFY/disabled; set that with 'ucr set'"),
        new("content_filter", null, null, "UCS writes it from the UCR variable mail/antivir (amavis); set that with 'ucr set'"),
        new("smtpd_recipient_restrictions", null, null, "UCS builds it from the UCR variables mail/postfix/smtpd/restrictions/recipient/*; set those with 'ucr set'"),
        new("submission_recipient_restrictions", null, null, "UCS builds it from the UCR variables mail/postfix/submission/restrictions/recipient/*; set those with 'ucr set'"),
        new("command_directory", null, null, "UCS writes a fixed value"),
        new("daemon_directory", null, null, "UCS writes a fixed value"),
        new("append_dot_mydomain", null, null, "UCS writes a fixed value"),
        new("smtpd_use_tls", null, null, "UCS writes a fixed value in 60_tls"),
        new("smtpd_tls_auth_only", null, null, "UCS writes a fixed value in 60_tls"),
        new("tls_random_source", null, null, "UCS writes a fixed value in 60_tls"),
    ];

    /// <summary>Parameters our own fragment writes from the milters and dkim sections.</summary>
    public static readonly IReadOnlyList<string> MilterParameters =
        ["milter_default_action", "milter_protocol", "non_smtpd_milters", "smtpd_milters"];

    /// <summary>Written by our own fragment from tls.inbound.level; UCS never writes it, and it overrides UCS's smtpd_use_tls.</summary>
    public const string InboundTlsLevel = "smtpd_tls_security_level";

    /// <summary>Written by our own fragment as 'dnssec' when the tls section uses dane.</summary>
    public const string DnsSupportLevel = "smtp_dns_support_level";

    /// <summary>
    /// What 60_tls writes into smtp_tls_policy_maps when mail/postfix/tls/policy/maps is unset: UCS's
    /// own table, fed by mail/postfix/tls/client/policy/* and the authenticated relayhost. Our table
    /// goes before it, so UCS's entries still apply to every destination the policy does not name.
    /// </summary>
    public const string UcsTlsPolicyMaps = "hash:/etc/postfix/tls_policy";

    public static Entry? Find(string parameter) => All.FirstOrDefault(e => e.Parameter == parameter);
}
