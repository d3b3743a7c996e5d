using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;

namespace UcsMailConfig.Cli;

/// <summary>Reads the public keys a policy's selectors name (dns, dns check) and prints each finding as FILE:LINE:COL.</summary>
internal static class PolicyKeys
{
    /// <summary>The keys, or null after printing the errors; with <paramref name="allowMissing"/>, a missing key is only a warning.</summary>
    public static DkimPublicKeys? Read(LoadedPolicy policy, string? root, bool allowMissing, TextWriter stderr)
    {
        var reading = MailPolicyPipeline.ReadPublicKeys(policy.Policy, root);
        foreach (var finding in reading.Diagnostics)
        {
            var shown = allowMissing && finding.Code == DiagnosticCode.DkimKeyUnavailable ? finding with { Severity = Severity.Warning } : finding;
            stderr.WriteLine(shown.Format(policy.Name));
        }

        if (reading.HasErrors && !allowMissing)
        {
            stderr.WriteLine($"{policy.Name}: {reading.Diagnostics.Count(d => d.Severity == Severity.Error)} key(s) missing or unreadable; nothing was printed");
            return null;
        }

        return reading.Keys;
    }
}
