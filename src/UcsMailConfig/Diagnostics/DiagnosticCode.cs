namespace UcsMailConfig.Diagnostics;

/// <summary>
/// A stable identifier for one kind of finding. Codes never change meaning once released:
/// scripts and documentation refer to them.
/// </summary>
public sealed record DiagnosticCode(string Id, string Title)
{
    // The YAML document itself.
    public static readonly DiagnosticCode YamlSyntax = new("UMC001", "YAML syntax error");
    public static readonly DiagnosticCode DuplicateKey = new("UMC002", "duplicate key");
    public static readonly DiagnosticCode UnknownKey = new("UMC003", "unknown key");
    public static readonly DiagnosticCode WrongType = new("UMC004", "wrong type");
    public static readonly DiagnosticCode MissingKey = new("UMC005", "required key missing");
    public static readonly DiagnosticCode ControlCharacter = new("UMC006", "control character in value");
    public static readonly DiagnosticCode UnsupportedVersion = new("UMC007", "unsupported policy version");
    public static readonly DiagnosticCode UnsupportedYamlFeature = new("UMC008", "unsupported YAML feature (anchor, alias, tag, deep nesting)");
    public static readonly DiagnosticCode EmptyDocument = new("UMC009", "empty policy");
    public static readonly DiagnosticCode MultipleDocuments = new("UMC010", "more than one YAML document");
    public static readonly DiagnosticCode TemplateMarker = new("UMC011", "UCR template marker in value");
    public static readonly DiagnosticCode FileTooLarge = new("UMC012", "policy file too large");
    public static readonly DiagnosticCode ValueTooLong = new("UMC013", "value longer than any output can hold");

    // One value, checked on its own.
    public static readonly DiagnosticCode InvalidDuration = new("UMC020", "invalid duration");
    public static readonly DiagnosticCode InvalidBoolean = new("UMC021", "invalid boolean");
    public static readonly DiagnosticCode InvalidInteger = new("UMC022", "invalid or out-of-range integer");
    public static readonly DiagnosticCode InvalidChoice = new("UMC023", "value not among the allowed choices");
    public static readonly DiagnosticCode InvalidDomain = new("UMC024", "invalid domain name");
    public static readonly DiagnosticCode InvalidSelector = new("UMC025", "invalid DKIM selector");
    public static readonly DiagnosticCode InvalidSocket = new("UMC026", "invalid milter socket");
    public static readonly DiagnosticCode InvalidHost = new("UMC027", "invalid host, address or network");
    public static readonly DiagnosticCode InvalidPath = new("UMC028", "invalid file path");
    public static readonly DiagnosticCode InvalidParameterName = new("UMC029", "invalid Postfix parameter name");
    public static readonly DiagnosticCode InvalidHeaderName = new("UMC030", "invalid header name");
    public static readonly DiagnosticCode InvalidMilterName = new("UMC031", "invalid milter name");
    public static readonly DiagnosticCode InvalidSenderPattern = new("UMC032", "invalid sender pattern");
    public static readonly DiagnosticCode InvalidSpfMechanism = new("UMC033", "invalid SPF mechanism");
    public static readonly DiagnosticCode InvalidReportUri = new("UMC034", "invalid DMARC report URI");
    public static readonly DiagnosticCode DuplicateItem = new("UMC035", "duplicate list item");
    public static readonly DiagnosticCode PostfixExpandsValue = new("UMC036", "'$' in a value Postfix expands but its other reader takes literally");
    public static readonly DiagnosticCode DnsNameTooLong = new("UMC039", "DNS name longer than 253 characters");

    // Rules across values.
    public static readonly DiagnosticCode DkimWithoutDomains = new("UMC040", "DKIM enabled but no domain has a selector");
    public static readonly DiagnosticCode SigningUnknownDomain = new("UMC041", "signing rule names a domain without DKIM keys");
    public static readonly DiagnosticCode SigningUnknownSelector = new("UMC042", "signing rule names an unknown selector");
    public static readonly DiagnosticCode CatchAllSigning = new("UMC043", "catch-all signing rule");
    public static readonly DiagnosticCode ParameterManagedByUcs = new("UMC044", "parameter is managed by UCS");
    public static readonly DiagnosticCode ParameterOwnedByPolicy = new("UMC045", "parameter has its own policy key");
    public static readonly DiagnosticCode SocketOutsideChroot = new("UMC046", "UNIX socket outside Postfix's chroot");
    public static readonly DiagnosticCode DuplicateMilter = new("UMC047", "milter listed twice");
    public static readonly DiagnosticCode OpenDkimMilterMisplaced = new("UMC048", "opendkim milter entry does not fit the dkim section");
    public static readonly DiagnosticCode NoActiveSelector = new("UMC049", "domain has DKIM selectors but none is active");
    public static readonly DiagnosticCode SpfTooManyLookups = new("UMC050", "SPF needs more than 10 DNS lookups");
    public static readonly DiagnosticCode SigningInactiveSelector = new("UMC051", "signing rule uses a selector that is not active");
    public static readonly DiagnosticCode BounceLongerThanQueue = new("UMC052", "bounce lifetime longer than queue lifetime");
    public static readonly DiagnosticCode SharedKeyFile = new("UMC053", "two selectors share one key file");
    public static readonly DiagnosticCode MilterWithoutStage = new("UMC054", "milter applies nowhere");
    public static readonly DiagnosticCode DkimDisabledWithSelectors = new("UMC055", "DKIM disabled but selectors defined");
    public static readonly DiagnosticCode SigningDomainMismatch = new("UMC056", "signing rule signs mail of another domain");
    public static readonly DiagnosticCode SpfAllPass = new("UMC057", "SPF +all authorises the whole internet");
    public static readonly DiagnosticCode MilterSettingsWithoutMilters = new("UMC058", "milter settings without any milter");
    public static readonly DiagnosticCode SpfRecordInMechanisms = new("UMC059", "SPF record text (v=spf1) in the mechanism list");
    public static readonly DiagnosticCode SpfAllInMechanisms = new("UMC060", "SPF 'all' in the mechanism list");
    public static readonly DiagnosticCode OneDeliveryAttempt = new("UMC069", "queue lifetime 0: one delivery attempt only");
    public static readonly DiagnosticCode SocketInProgramSyntax = new("UMC075", "milter socket in Postfix's or OpenDKIM's own syntax");

    // The policy against the key files on the server (dns, dns check): found only where keys are read.
    public static readonly DiagnosticCode WeakDkimKey = new("UMC061", "DKIM key shorter than 2048 bits");
    public static readonly DiagnosticCode DkimKeyUnavailable = new("UMC062", "DKIM key file missing or unreadable");

    // Where DKIM keys may lie (dkim.key_folder), and whether the server's key files and folders are safe to use.
    public static readonly DiagnosticCode KeyFolderNotAllowed = new("UMC063", "DKIM key folder not allowed");
    public static readonly DiagnosticCode KeyOutsideKeyFolder = new("UMC064", "DKIM key file outside the key folder");
    public static readonly DiagnosticCode UnsafeDkimKey = new("UMC065", "DKIM key file or folder that others could change or read");

    // Transport encryption and S/MIME (tls, webapp).
    public static readonly DiagnosticCode InvalidTlsDestination = new("UMC070", "invalid TLS policy destination");
    public static readonly DiagnosticCode DaneWithoutDnsName = new("UMC071", "DANE for a destination without a DNS name");
    public static readonly DiagnosticCode MandatoryTlsWithoutTlsRelay = new("UMC072", "mandatory outbound TLS without a relay known to speak TLS");
    public static readonly DiagnosticCode DaneNeedsValidatingResolver = new("UMC073", "DANE depends on a DNSSEC-validating resolver");
    public static readonly DiagnosticCode MandatoryInboundTls = new("UMC074", "mandatory inbound TLS refuses mail from servers without TLS");
}
