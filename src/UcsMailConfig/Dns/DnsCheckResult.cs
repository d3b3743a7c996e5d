
namespace UcsMailConfig.Dns;

/// <summary>What the DNS showed for one expected record.</summary>
public enum DnsCheckStatus
{
    /// <summary>Published exactly as the policy (and the local key) says.</summary>
    Match,

    /// <summary>No such record (or no such name).</summary>
    Missing,

    /// <summary>A record is there, with other content.</summary>
    Different,

    /// <summary>A DKIM record whose p= is a strict prefix of the key's: a string of a split record was lost.</summary>
    Truncated,

    /// <summary>More than one record where there must be one (two SPF records are a PermError).</summary>
    Multiple,

    /// <summary>The server did not answer, or answered with an error other than "no such name".</summary>
    Unanswered,
}

/// <summary>One expected record, what was found, and a sentence for the admin.</summary>
public sealed record DnsCheckResult(DnsRecord Expected, DnsCheckStatus Status, string Detail)
{
    public bool IsMatch => Status == DnsCheckStatus.Match;
}
