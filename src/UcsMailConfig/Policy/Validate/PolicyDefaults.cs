using System.Collections.Immutable;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Policy.Validate;

/// <summary>
/// The one table of what the policy means when it leaves a key out. The binders apply these
/// values and the schema (<see cref="PolicySchema"/>) shows them as its defaults, so the
/// two cannot disagree. Keys without an entry here have no policy default: leaving them out
/// leaves UCS's own setting in force (queue lifetimes, TLS levels and protocols), and UCS's
/// defaults are Ucs' facts, not the policy's.
/// </summary>
internal static class PolicyDefaults
{
    public static readonly ImmutableArray<MilterStage> MilterStages = [MilterStage.Smtpd, MilterStage.NonSmtpd];
    public const MilterAction MilterDefaultAction = MilterAction.Accept;
    public const int MilterProtocol = 6;

    /// <summary>dkim.enabled when the dkim section is there; without the section DKIM is on exactly when some domain has a selector.</summary>
    public const bool DkimEnabled = true;
    public const string DkimSocket = "localhost:8891";
    public const DkimCanonicalization Canonicalization = DkimCanonicalization.RelaxedRelaxed;
    public const DkimMode DkimMode = Model.DkimMode.Sign;
    public static readonly ImmutableArray<HostPattern> TrustedHosts = HostPattern.Loopback;

    /// <summary>dkim.sign_mynetworks: apply adds Postfix's effective mynetworks to the hosts OpenDKIM signs for.</summary>
    public const bool SignMynetworks = true;
    public static readonly ImmutableArray<string> OversignHeaders = ["From"];

    public const SelectorState SelectorState = Model.SelectorState.Active;
    public const bool SignSubdomains = false;

    public const SpfAllResult SpfAll = SpfAllResult.Fail;
    public const int DmarcPercent = 100;
    public const DmarcAlignment DmarcDkimAlignment = DmarcAlignment.Relaxed;
    public const DmarcAlignment DmarcSpfAlignment = DmarcAlignment.Relaxed;

    public const SmimeCipher Cipher = SmimeCipher.Aes256Cbc;
    public static readonly ImmutableArray<string> CaCertificates = ["/etc/ssl/certs"];
    public const bool Ocsp = true;
    public const bool RememberPassphrase = false;
}
