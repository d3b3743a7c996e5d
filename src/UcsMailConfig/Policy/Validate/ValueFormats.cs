using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>The formatted value kinds a policy uses.</summary>
internal static class ValueFormats
{
    public static readonly ValueFormat Duration = new("duration", DiagnosticCode.InvalidDuration, PostfixDuration.Expectation,
        text => PostfixDuration.TryParse(text, out _), "^(0+|[0-9]+[smhdw])$", MayLookNumeric: true);

    public static readonly ValueFormat Domain = new("domain", DiagnosticCode.InvalidDomain, DomainName.Expectation,
        text => DomainName.IsValidName(text, minLabels: 2));

    public static readonly ValueFormat Selector = new("selector", DiagnosticCode.InvalidSelector, DkimSelectorName.Expectation,
        DkimSelectorName.IsValid, "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$", MayLookNumeric: true);

    public static readonly ValueFormat Socket = new("socket", DiagnosticCode.InvalidSocket, MilterSocket.Expectation,
        text => MilterSocket.TryParse(text, out _));

    public static readonly ValueFormat Host = new("host", DiagnosticCode.InvalidHost, HostPattern.Expectation,
        text => HostPattern.TryParse(text, out _));

    public static readonly ValueFormat AbsolutePath = new("path", DiagnosticCode.InvalidPath, FilePath.Expectation,
        FilePath.IsSafeAbsolute, "^/[^\\s:,\"'\\\\#]*[^/]$");

    // Where it may lie (not a system folder, none the tool manages) is a rule of the binder, with its own code and reason.
    public static readonly ValueFormat KeyFolderPath = new("folder", DiagnosticCode.InvalidPath, $"{KeyFolder.Expectation}, without spaces, ':' or '..' segments",
        FilePath.IsSafeAbsolute, AbsolutePath.JsonPattern);

    public static readonly ValueFormat ParameterName = new("postfix-parameter", DiagnosticCode.InvalidParameterName, Identifiers.ParameterNameExpectation,
        Identifiers.IsParameterName, "^[a-z][A-Za-z0-9_]*$");

    public static readonly ValueFormat HeaderName = new("header", DiagnosticCode.InvalidHeaderName, Identifiers.HeaderNameExpectation,
        Identifiers.IsHeaderName, "^[A-Za-z][A-Za-z0-9-]*$");

    public static readonly ValueFormat MilterName = new("milter-name", DiagnosticCode.InvalidMilterName, Identifiers.MilterNameExpectation,
        Identifiers.IsMilterName, "^[a-z0-9][a-z0-9_-]*$");

    public static readonly ValueFormat Sender = new("sender", DiagnosticCode.InvalidSenderPattern, SenderPattern.Expectation,
        text => SenderPattern.IsCatchAll(text) || SenderPattern.TryParse(text, out _), "^[^@\\s]+@[^@\\s]+$");

    // A pasted record or an 'all' term passes here so that the binder reports it under its own, clearer code.
    public static readonly ValueFormat Spf = new("spf-mechanism", DiagnosticCode.InvalidSpfMechanism, SpfMechanism.Expectation,
        text => SpfMechanism.IsValid(text) || SpfMechanism.IsRecordText(text) || SpfMechanism.IsAllTerm(text));

    public static readonly ValueFormat DmarcUri = new("dmarc-uri", DiagnosticCode.InvalidReportUri, ReportUri.Expectation,
        ReportUri.IsValid, "^mailto:");

    public static readonly ValueFormat TlsDestination = new("tls-destination", DiagnosticCode.InvalidTlsDestination, Values.TlsDestination.Expectation,
        text => Values.TlsDestination.TryParse(text, out _), "^(\\.?[A-Za-z0-9.-]+(:[0-9]+)?|\\[[^\\]]+\\](:[0-9]+)?)$");

    // PLUGIN_SMIME_CACERTS separates several locations with ';', so one path may not contain it.
    public static readonly ValueFormat CaPath = new("ca-path", DiagnosticCode.InvalidPath, FilePath.Expectation + ", and without ';'",
        text => FilePath.IsSafeAbsolute(text) && !text.Contains(';'), "^/[^\\s:,;\"'\\\\#]*[^/]$");
}
