namespace UcsMailConfig.Policy.Model;

// The choices the policy offers, as the model holds them. How each member is spelled in
// mail-policy.yaml is PolicySpelling's alone; how Postfix, OpenDKIM or DNS spell it is derive's.

public enum DkimMode
{
    Sign,
    Verify,
    SignAndVerify,
}

public enum DkimCanonicalization
{
    RelaxedRelaxed,
    RelaxedSimple,
    SimpleRelaxed,
    SimpleSimple,
}

/// <summary>What Postfix does with mail when a milter is unreachable or fails.</summary>
public enum MilterAction
{
    Accept,
    Reject,
    Tempfail,
    Quarantine,
}

/// <summary>Which mail a milter sees: received over SMTP, or submitted on this host.</summary>
internal enum MilterStage
{
    Smtpd,
    NonSmtpd,
}

public enum SelectorState
{
    Pending,
    Active,
    Retired,
}

/// <summary>The SPF record's closing <c>all</c> term.</summary>
public enum SpfAllResult
{
    Fail,
    Softfail,
    Neutral,
    Pass,
}

/// <summary>What receivers do with mail that fails DMARC (p= and sp=).</summary>
public enum DmarcDisposition
{
    None,
    Quarantine,
    Reject,
}

public enum DmarcAlignment
{
    Relaxed,
    Strict,
}

/// <summary>The Postfix SMTP client's TLS security levels.</summary>
public enum OutboundTlsLevel
{
    None,
    May,
    Encrypt,
    Dane,
    Verify,
    Secure,
}

/// <summary>The Postfix SMTP server's TLS security levels the policy offers.</summary>
public enum InboundTlsLevel
{
    None,
    May,
    Encrypt,
}

public enum TlsProtocol
{
    Tls12,
    Tls13,
}

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
