using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Model;

/// <summary>A validated mail policy: every value parsed, every default applied, every rule checked.</summary>
public sealed record MailPolicy(PostfixPolicy Postfix, DkimPolicy Dkim, ImmutableArray<DomainPolicy> Domains, TlsPolicy Tls, SmimePolicy? Smime)
{
    /// <summary>The file the policy was read from, as the generated files' headers name it.</summary>
    public PolicyFileName Source { get; init; } = PolicyFileName.Default;
}

public sealed record PostfixPolicy(QueuePolicy Queue, MilterPolicy Milters, ImmutableArray<PostfixParameter> Parameters);

/// <summary>Queue lifetimes; null leaves UCS's own default in force.</summary>
public sealed record QueuePolicy(PostfixDuration? MaximalLifetime, PostfixDuration? BounceLifetime, PostfixDuration? DelayWarning);

public sealed record MilterPolicy(MilterAction DefaultAction, int Protocol, ImmutableArray<MilterEntry> Chain);

/// <summary>
/// One milter in chain order. <see cref="Socket"/> is null only for the entry that marks
/// OpenDKIM's place (its socket is <see cref="DkimPolicy.Socket"/>).
/// </summary>
public sealed record MilterEntry(string Name, MilterSocket? Socket, bool Smtpd, bool NonSmtpd)
{
    public const string OpenDkimName = "opendkim";

    public bool IsOpenDkim => Socket is null;
}

/// <summary>A main.cf parameter from the policy's escape hatch, as written.</summary>
public sealed record PostfixParameter(string Name, string Value);

public sealed record DkimPolicy(
    bool Enabled,
    MilterSocket Socket,
    DkimCanonicalization Canonicalization,
    DkimMode Mode,
    ImmutableArray<HostPattern> TrustedHosts,
    ImmutableArray<HostPattern>? InternalHosts,
    ImmutableArray<string> OversignHeaders,
    ImmutableArray<SigningRule> Signing)
{
    /// <summary>The folder every selector's key lies below (<c>dkim.key_folder</c>).</summary>
    public string KeyFolder { get; init; } = Values.KeyFolder.Default;

    /// <summary>
    /// <c>dkim.sign_mynetworks</c>: apply adds Postfix's effective mynetworks, read on the host,
    /// to the hosts OpenDKIM signs for (docs/mail-flow.md, "The signing rule").
    /// </summary>
    public bool SignMynetworks { get; init; } = true;
}

public sealed record SigningRule(SenderPattern From, DomainName Domain, string Selector);

public sealed record DomainPolicy(DomainName Name, DomainDkim? Dkim, SpfPolicy? Spf, DmarcPolicy? Dmarc);

public sealed record DomainDkim(ImmutableArray<DkimSelector> Selectors, bool Subdomains);

/// <summary>One DKIM key of a domain; <see cref="Position"/> is where the policy names it, for findings about its key file.</summary>
public sealed record DkimSelector(string Name, string KeyPath, SelectorState State)
{
    public SourcePosition Position { get; init; }
}

public sealed record SpfPolicy(ImmutableArray<SpfMechanism> Mechanisms, SpfAllResult All);

public sealed record DmarcPolicy(
    DmarcDisposition Policy,
    DmarcDisposition? SubdomainPolicy,
    int Percent,
    ImmutableArray<string> AggregateReports,
    ImmutableArray<string> FailureReports,
    DmarcAlignment DkimAlignment,
    DmarcAlignment SpfAlignment);

/// <summary>
/// Transport encryption. A null level or protocol leaves UCS's own setting in force;
/// <see cref="Destinations"/> are per-destination overrides, in ordinal order of destination.
/// </summary>
public sealed record TlsPolicy(
    OutboundTlsLevel? OutboundLevel,
    TlsProtocol? OutboundMinProtocol,
    InboundTlsLevel? InboundLevel,
    TlsProtocol? InboundMinProtocol,
    ImmutableArray<TlsDestinationRule> Destinations)
{
    public static readonly TlsPolicy None = new(null, null, null, null, []);

    /// <summary>DANE anywhere needs DNSSEC answers from the resolver (smtp_dns_support_level = dnssec).</summary>
    public bool UsesDane => OutboundLevel == OutboundTlsLevel.Dane || Destinations.Any(d => d.Level == OutboundTlsLevel.Dane);
}

/// <summary>One line of the TLS policy table: this destination gets this level.</summary>
public sealed record TlsDestinationRule(TlsDestination Destination, OutboundTlsLevel Level);

/// <summary>Kopano WebApp's S/MIME plugin (config-smime.php).</summary>
public sealed record SmimePolicy(SmimeCipher Cipher, ImmutableArray<string> CaCertificates, bool Ocsp, bool RememberPassphrase);
