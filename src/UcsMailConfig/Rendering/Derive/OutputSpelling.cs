using UcsMailConfig.Policy.Model;

namespace UcsMailConfig.Rendering.Derive;

/// <summary>
/// The one owner of how the model's choices are written for Postfix (main.cf, UCR variables,
/// the TLS policy table) and OpenDKIM (opendkim.conf). The policy file's spelling is
/// PolicySpelling's; where the two happen to agree, that is Postfix's vocabulary, not a copy.
/// </summary>
internal static class OutputSpelling
{
    public static string Postfix(MilterAction action) => action switch
    {
        MilterAction.Accept => "accept",
        MilterAction.Reject => "reject",
        MilterAction.Tempfail => "tempfail",
        MilterAction.Quarantine => "quarantine",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "no such milter action"),
    };

    public static string Postfix(OutboundTlsLevel level) => level switch
    {
        OutboundTlsLevel.None => "none",
        OutboundTlsLevel.May => "may",
        OutboundTlsLevel.Encrypt => "encrypt",
        OutboundTlsLevel.Dane => "dane",
        OutboundTlsLevel.Verify => "verify",
        OutboundTlsLevel.Secure => "secure",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "no such TLS level"),
    };

    public static string Postfix(InboundTlsLevel level) => level switch
    {
        InboundTlsLevel.None => "none",
        InboundTlsLevel.May => "may",
        InboundTlsLevel.Encrypt => "encrypt",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "no such TLS level"),
    };

    /// <summary>A mandatory_protocols value: this version and newer.</summary>
    public static string PostfixAtLeast(TlsProtocol protocol) => protocol switch
    {
        TlsProtocol.Tls12 => ">=TLSv1.2",
        TlsProtocol.Tls13 => ">=TLSv1.3",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "no such TLS version"),
    };

    public static string OpenDkim(DkimMode mode) => mode switch
    {
        DkimMode.Sign => "s",
        DkimMode.Verify => "v",
        DkimMode.SignAndVerify => "sv",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "no such DKIM mode"),
    };

    public static string OpenDkim(DkimCanonicalization canonicalization) => canonicalization switch
    {
        DkimCanonicalization.RelaxedRelaxed => "relaxed/relaxed",
        DkimCanonicalization.RelaxedSimple => "relaxed/simple",
        DkimCanonicalization.SimpleRelaxed => "simple/relaxed",
        DkimCanonicalization.SimpleSimple => "simple/simple",
        _ => throw new ArgumentOutOfRangeException(nameof(canonicalization), canonicalization, "no such canonicalization"),
    };
}
