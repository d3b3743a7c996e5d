namespace UcsMailConfig.Policy;

/// <summary>
/// Postfix parameters that stock UCS templates already write into main.cf (UCS-FACTS.md,
/// "The stock UCS Postfix configuration"). Writing one of them again in our fragment makes
/// Postfix warn "overriding earlier entry", so each is set through its UCR variable, or
/// refused where UCS derives it. This table is the one place that knows the mapping.
/// </summary>
public static class StockUcsParameters
{
    /// <summary>
    /// One stock parameter. <see cref="UcrVariable"/> null: UCS derives it and the policy may
    /// not set it. <see cref="PolicyKey"/>: the policy key that sets it, when there is one.
    /// </summary>
    public sealed record Entry(string Parameter, string? UcrVariable, string? PolicyKey, string Hint);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("maximal_queue_lifetime", "mail/postfix/maximal_queue_lifetime", "postfix.queue.maximal_lifetime", "UCS default 5d"),
        new("bounce_queue_lifetime", "mail/postfix/bounce_queue_lifetime", "postfix.queue.bounce_lifetime", "UCS default 5d"),
        new("delay_warning_time", "mail/postfix/delay_warning_time", "postfix.queue.delay_warning", "UCS default 0h"),
        new("message_size_limit", "mail/messagesizelimit", null, "the UCS mail size limit"),
        new("relayhost", "mail/relayhost", null, "the UCS relay host"),
        new("inet_protocols", "mail/postfix/inet/protocols", null, "the UCS protocol setting"),
        new("myhostname", null, null, "UCS writes it from the UCR variables hostname and domainname; change those with 'ucr set'"),
    ];

    /// <summary>Parameters our own fragment writes from the milters and dkim sections.</summary>
    public static readonly IReadOnlyList<string> MilterParameters =
        ["milter_default_action", "milter_protocol", "non_smtpd_milters", "smtpd_milters"];

    public static Entry? Find(string parameter) => All.FirstOrDefault(e => e.Parameter == parameter);
}
