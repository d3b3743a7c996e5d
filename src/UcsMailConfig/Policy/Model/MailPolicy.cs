using System.Collections.Immutable;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Model;

/// <summary>A validated mail policy: every value parsed, every default applied, every rule checked.</summary>
public sealed record MailPolicy(PostfixPolicy Postfix, DkimPolicy Dkim, ImmutableArray<DomainPolicy> Domains, TlsPolicy Tls, SmimePolicy? Smime);

public sealed record PostfixPolicy(QueuePolicy Queue, MilterPolicy Milters, ImmutableArray<PostfixParameter> Parameters);

/// <summary>Queue lifetimes; null leaves UCS's own default in force.</summary>
public sealed record QueuePolicy(PostfixDuration? MaximalLifetime, PostfixDuration? BounceLifetime, PostfixDuration? DelayWarning);

public sealed record MilterPolicy(string DefaultAction, int Protocol, ImmutableArray<MilterEntry> Chain);

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
    string Canonicalization,
    string Mode,
    ImmutableArray<HostPattern> TrustedHosts,
    ImmutableArray<HostPattern>? InternalHosts,
    ImmutableArray<string> OversignHeaders,
    ImmutableArray<SigningRule> Signing)
{
    /// <summary>The folder every selector's key lies below (<c>dkim.key_folder</c>).</summary>
    public string KeyFolder { get; init; } = Values.KeyFolder.Default;
}

public sealed record SigningRule(SenderPattern From, DomainName Domain, string Selector);

public sealed record DomainPolicy(DomainName Name, DomainDkim? Dkim, SpfPolicy? Spf, DmarcPolicy? Dmarc);

public sealed record DomainDkim(ImmutableArray<DkimSelector> Selectors, bool Subdomains);

/// <summary>One DKIM key of a domain; <see cref="Position"/> is where the policy names it, for findings about its key file.</summary>
public sealed record DkimSelector(string Name, string KeyPath, SelectorState State)
{
    public SourcePosition Position { get; init; }
}

public enum SelectorState
{
    Pending,
    Active,
    Retired,
}

public sealed record SpfPolicy(ImmutableArray<SpfMechanism> Mechanisms, string All);

public sealed record DmarcPolicy(
    string Policy,
    string? SubdomainPolicy,
    int Percent,
    ImmutableArray<string> AggregateReports,
    ImmutableArray<string> FailureReports,
    string DkimAlignment,
    string SpfAlignment);

/// <summary>
/// Transport encryption. A null level or protocol leaves UCS's own setting in force;
/// <see cref="Destinations"/> are per-destination overrides, in ordinal order of destination.
/// </summary>
public sealed record TlsPolicy(
    string? OutboundLevel,
    string? OutboundMinProtocol,
    string? InboundLevel,
    string? InboundMinProtocol,
    ImmutableArray<TlsDestinationRule> Destinations)
{
    public const string Dane = "dane";

    public static readonly TlsPolicy None = new(null, null, null, null, []);

    /// <summary>DANE anywhere needs DNSSEC answers from the resolver (smtp_dns_support_level = dnssec).</summary>
    public bool UsesDane => OutboundLevel == Dane || Destinations.Any(d => d.Level == Dane);
}

/// <summary>One line of the TLS policy table: this destination gets this level.</summary>
public sealed record TlsDestinationRule(TlsDestination Destination, string Level);

/// <summary>Kopano WebApp's S/MIME plugin (config-smime.php).</summary>
public sealed record SmimePolicy(SmimeCipher Cipher, ImmutableArray<string> CaCertificates, bool Ocsp, bool RememberPassphrase);

/// <summary>
/// The ciphers the plugin may encrypt with. The plugin passes PLUGIN_SMIME_CIPHER to PHP's
/// openssl_pkcs7_encrypt, which knows only OPENSSL_CIPHER_* constants: AES-CBC is the strongest
/// there is (no GCM), and 3DES, DES and RC2 have no member here on purpose.
/// </summary>
public enum SmimeCipher
{
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
}
