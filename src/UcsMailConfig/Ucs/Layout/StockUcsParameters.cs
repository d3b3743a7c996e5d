using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// Postfix parameters that stock UCS templates already write into main.cf (UCS-FACTS.md,
/// "The stock UCS Postfix configuration"). Writing one of them again in our fragment makes
/// Postfix warn "overriding earlier entry", so each is set through its UCR variable, or
/// refused where UCS derives it. This table is the one place that knows the mapping
/// parameter ↔ UCR variable ↔ UCS default and what kind of value each parameter holds;
/// validate, derive, plan and apply ask it through the named entries, never by string.
/// </summary>
public static class StockUcsParameters
{
    /// <summary>What a parameter's value is, so it is typed once and compared the way Postfix reads it.</summary>
    public enum ValueKind
    {
        Text,
        List,

        /// <summary>A time value; <see cref="Entry.UnitlessAs"/> is the unit of a number alone.</summary>
        Duration,
    }

    /// <summary>
    /// One stock parameter. <see cref="UcrVariable"/> null: UCS derives it and the policy may
    /// not set it. <see cref="PolicyKey"/>: the policy key that sets it, when there is one.
    /// <see cref="UcsDefault"/>: what the stock template writes while the variable is unset.
    /// </summary>
    public sealed record Entry(string Parameter, string? UcrVariable, string? PolicyKey, string Hint)
    {
        public ValueKind Kind { get; init; } = ValueKind.Text;

        public char UnitlessAs { get; init; } = 's';

        public string? UcsDefault { get; init; }

        /// <summary>A value for this parameter from text (the policy's, UCR's or Postfix's); null when it does not parse.</summary>
        public PostfixValue? Parse(string text) => Kind switch
        {
            ValueKind.Duration => PostfixDuration.TryParse(text, out var d, UnitlessAs) ? new DurationValue(d, UnitlessAs) : null,
            ValueKind.List => new ListValue(text),
            _ => new TextValue(text),
        };

        /// <summary>A policy's duration for this parameter, with the parameter's own default unit.</summary>
        public DurationValue Duration(PostfixDuration duration) =>
            Kind == ValueKind.Duration ? new DurationValue(duration, UnitlessAs) : throw new InvalidOperationException($"{Parameter} is not a time value");

        /// <summary>
        /// What Postfix gets from a UCR value of this parameter's variable: the value, or UCS's
        /// default while it is unset (or unreadable as this kind of value). Null without a default.
        /// </summary>
        public PostfixValue? Effective(string? ucrValue) =>
            (ucrValue is null ? null : Parse(ucrValue)) ?? (UcsDefault is null ? null : Parse(UcsDefault));
    }

    private const string ManagedByUcs = "stock UCS templates write it";

    private static Entry Stock(string parameter, string variable, ValueKind kind = ValueKind.Text) =>
        new(parameter, variable, null, ManagedByUcs) { Kind = kind };

    private static Entry PolicySet(string parameter, string variable, string policyKey, string ucsDefault, ValueKind kind) =>
        new(parameter, variable, policyKey, $"UCS default {ucsDefault}") { Kind = kind, UcsDefault = ucsDefault };

    // From univention-mail-postfix's main.cf.d/10_general and 60_tls (UCS 5.x source); the
    // variable is the one the stock fragment reads, so setting it changes the one line UCS writes.
    // 10_general writes the three queue lifetimes always; Postfix reads a number alone as days
    // for the lifetimes and as hours for delay_warning_time.
    public static readonly Entry MaximalQueueLifetime =
        PolicySet("maximal_queue_lifetime", "mail/postfix/maximal_queue_lifetime", "postfix.queue.maximal_lifetime", "5d", ValueKind.Duration) with { UnitlessAs = 'd' };

    public static readonly Entry BounceQueueLifetime =
        PolicySet("bounce_queue_lifetime", "mail/postfix/bounce_queue_lifetime", "postfix.queue.bounce_lifetime", "5d", ValueKind.Duration) with { UnitlessAs = 'd' };

    public static readonly Entry DelayWarningTime =
        PolicySet("delay_warning_time", "mail/postfix/delay_warning_time", "postfix.queue.delay_warning", "0h", ValueKind.Duration) with { UnitlessAs = 'h' };

    public static readonly Entry SmtpTlsSecurityLevel =
        PolicySet("smtp_tls_security_level", "mail/postfix/tls/client/level", "tls.outbound.level", "may", ValueKind.Text);

    public static readonly Entry SmtpTlsMandatoryProtocols =
        PolicySet("smtp_tls_mandatory_protocols", "mail/postfix/tls/client/mandatory_protocols", "tls.outbound.min_protocol", "!SSLv2", ValueKind.List);

    /// <summary>
    /// 60_tls writes <see cref="UcsTlsPolicyMaps"/> while the variable is unset: UCS's own table, fed by
    /// mail/postfix/tls/client/policy/* and the authenticated relayhost.
    /// </summary>
    public static readonly Entry SmtpTlsPolicyMaps =
        PolicySet("smtp_tls_policy_maps", "mail/postfix/tls/policy/maps", "tls.destinations", UcsTlsPolicyMaps, ValueKind.List);

    public static readonly Entry SmtpdTlsMandatoryProtocols =
        PolicySet("smtpd_tls_mandatory_protocols", "mail/postfix/smtpd/tls/mandatory_protocols", "tls.inbound.min_protocol", "!SSLv2", ValueKind.List);

    // 60_tls writes smtpd_use_tls = yes as fixed text and no smtpd_tls_security_level at all.
    public static readonly IReadOnlyList<Entry> All =
    [
        MaximalQueueLifetime,
        BounceQueueLifetime,
        DelayWarningTime,
        Stock("message_size_limit", "mail/messagesizelimit"),
        Stock("mailbox_size_limit", "mail/localmailboxsizelimit"),
        Stock("relayhost", "mail/relayhost"),
        Stock("inet_protocols", "mail/postfix/inet/protocols", ValueKind.List),
        Stock("inet_interfaces", "mail/postfix/inet/interfaces", ValueKind.List),
        Stock("myorigin", "mail/postfix/myorigin"),
        Stock("mydestination", "mail/postfix/mydestination", ValueKind.List),
        Stock("mynetworks", "mail/postfix/mynetworks", ValueKind.List),
        Stock("mynetworks_style", "mail/postfix/mynetworks_style"),
        Stock("masquerade_domains", "mail/postfix/masquerade/domains", ValueKind.List),
        Stock("masquerade_exceptions", "mail/postfix/masquerade/exceptions", ValueKind.List),
        Stock("relay_domains", "mail/postfix/relay/domains", ValueKind.List),
        Stock("transport_maps", "mail/postfix/maps/transport", ValueKind.List),
        Stock("smtp_helo_name", "mail/smtp/helo/name"),
        Stock("smtp_host_lookup", "mail/postfix/smtp/hostlookup", ValueKind.List),
        Stock("smtpd_banner", "mail/postfix/smtpd/banner"),
        Stock("smtputf8_enable", "mail/postfix/smtputf8_enable"),
        Stock("always_bcc", "mail/archivefolder"),
        SmtpTlsSecurityLevel,
        SmtpTlsMandatoryProtocols,
        Stock("smtp_tls_protocols", "mail/postfix/tls/client/protocols", ValueKind.List),
        Stock("smtp_tls_exclude_ciphers", "mail/postfix/tls/client/exclude_ciphers", ValueKind.List),
        SmtpTlsPolicyMaps,
        SmtpdTlsMandatoryProtocols,
        Stock("smtpd_tls_protocols", "mail/postfix/smtpd/tls/protocols", ValueKind.List),
        Stock("smtpd_tls_exclude_ciphers", "mail/postfix/smtpd/tls/exclude_ciphers", ValueKind.List),
        Stock("smtpd_tls_cert_file", "mail/postfix/ssl/certificate"),
        Stock("smtpd_tls_key_file", "mail/postfix/ssl/key"),
        Stock("smtpd_tls_CAfile", "mail/postfix/ssl/cafile"),
        Stock("smtpd_tls_CApath", "mail/postfix/ssl/capath"),
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
    /// What 60_tls writes into smtp_tls_policy_maps when mail/postfix/tls/policy/maps is unset. Our
    /// table goes before it, so UCS's entries still apply to every destination the policy does not name.
    /// </summary>
    public const string UcsTlsPolicyMaps = "hash:/etc/postfix/tls_policy";

    public static Entry? Find(string parameter) => All.FirstOrDefault(e => e.Parameter == parameter);

    /// <summary>
    /// The typed value a parameter our fragment writes should have in Postfix: the milter lists
    /// are lists, a stock parameter has its entry's kind, anything else is compared as words.
    /// </summary>
    public static PostfixValue ValueOf(string parameter, string text) =>
        parameter is "smtpd_milters" or "non_smtpd_milters" ? new ListValue(text) : Find(parameter)?.Parse(text) ?? new TextValue(text);
}
