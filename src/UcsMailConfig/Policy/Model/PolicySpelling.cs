namespace UcsMailConfig.Policy.Model;

/// <summary>
/// The one owner of how each choice is spelled in mail-policy.yaml, in the order the schema
/// lists the choices. The schema's choice lists, the binder's parsing and the messages that
/// quote a value all ask here.
/// </summary>
internal static class PolicySpelling
{
    public static readonly Spelling<DkimMode> DkimModes = new((DkimMode.Sign, "sign"), (DkimMode.Verify, "verify"), (DkimMode.SignAndVerify, "sign-and-verify"));

    public static readonly Spelling<DkimCanonicalization> Canonicalizations = new(
        (DkimCanonicalization.RelaxedRelaxed, "relaxed/relaxed"),
        (DkimCanonicalization.RelaxedSimple, "relaxed/simple"),
        (DkimCanonicalization.SimpleRelaxed, "simple/relaxed"),
        (DkimCanonicalization.SimpleSimple, "simple/simple"));

    public static readonly Spelling<MilterAction> MilterActions = new(
        (MilterAction.Accept, "accept"), (MilterAction.Reject, "reject"), (MilterAction.Tempfail, "tempfail"), (MilterAction.Quarantine, "quarantine"));

    public static readonly Spelling<MilterStage> MilterStages = new((MilterStage.Smtpd, "smtpd"), (MilterStage.NonSmtpd, "non_smtpd"));

    public static readonly Spelling<SelectorState> SelectorStates = new((SelectorState.Pending, "pending"), (SelectorState.Active, "active"), (SelectorState.Retired, "retired"));

    public static readonly Spelling<SpfAllResult> SpfAllResults = new(
        (SpfAllResult.Fail, "fail"), (SpfAllResult.Softfail, "softfail"), (SpfAllResult.Neutral, "neutral"), (SpfAllResult.Pass, "pass"));

    public static readonly Spelling<DmarcDisposition> DmarcDispositions = new(
        (DmarcDisposition.None, "none"), (DmarcDisposition.Quarantine, "quarantine"), (DmarcDisposition.Reject, "reject"));

    public static readonly Spelling<DmarcAlignment> DmarcAlignments = new((DmarcAlignment.Relaxed, "relaxed"), (DmarcAlignment.Strict, "strict"));

    public static readonly Spelling<OutboundTlsLevel> OutboundTlsLevels = new(
        (OutboundTlsLevel.None, "none"),
        (OutboundTlsLevel.May, "may"),
        (OutboundTlsLevel.Encrypt, "encrypt"),
        (OutboundTlsLevel.Dane, "dane"),
        (OutboundTlsLevel.Verify, "verify"),
        (OutboundTlsLevel.Secure, "secure"));

    public static readonly Spelling<InboundTlsLevel> InboundTlsLevels = new((InboundTlsLevel.None, "none"), (InboundTlsLevel.May, "may"), (InboundTlsLevel.Encrypt, "encrypt"));

    public static readonly Spelling<TlsProtocol> TlsProtocols = new((TlsProtocol.Tls12, "TLSv1.2"), (TlsProtocol.Tls13, "TLSv1.3"));

    public static readonly Spelling<SmimeCipher> SmimeCiphers = new(
        (SmimeCipher.Aes256Cbc, "aes-256-cbc"), (SmimeCipher.Aes192Cbc, "aes-192-cbc"), (SmimeCipher.Aes128Cbc, "aes-128-cbc"));
}

/// <summary>One enum's spellings in the policy file; every member has exactly one.</summary>
internal sealed class Spelling<T>
    where T : struct, Enum
{
    private readonly (T Value, string Text)[] pairs;

    public Spelling(params (T Value, string Text)[] pairs)
    {
        this.pairs = pairs;
        Texts = [.. pairs.Select(p => p.Text)];
    }

    /// <summary>The spellings in schema order.</summary>
    public IReadOnlyList<string> Texts { get; }

    public string Of(T value) => pairs.First(p => EqualityComparer<T>.Default.Equals(p.Value, value)).Text;

    /// <summary>The member spelled <paramref name="text"/>; null for null or any other text (the shape check reported it).</summary>
    public T? Parse(string? text)
    {
        foreach (var (value, spelled) in pairs)
        {
            if (spelled == text)
            {
                return value;
            }
        }

        return null;
    }
}
