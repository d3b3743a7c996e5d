using UcsMailConfig.Policy.Model;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Reads (never changes) the host's share of the signing rule: Postfix's effective mynetworks,
/// <c>postconf -c ROOT/etc/postfix -x -h mynetworks</c>, taken at apply (and by diff and status,
/// which plan the same way) so that <c>render</c> stays host-independent. Only while the policy
/// signs for mynetworks (<c>dkim.enabled</c>, <c>dkim.sign_mynetworks</c>); otherwise nothing is run.
/// </summary>
internal static class NetworksHost
{
    /// <summary>
    /// The networks, null when the policy does not ask for them or postconf cannot read main.cf
    /// (then <paramref name="failed"/> names the command). A negation is a refusal in
    /// <paramref name="errors"/>, a table entry a warning (<see cref="PostfixNetworks"/> says why).
    /// </summary>
    public static PostfixNetworks? Read(MailPolicy policy, string root, ToolPaths tools, CommandRunner runner, List<string> errors, List<string> warnings, out CommandRecord? failed)
    {
        failed = null;
        if (!policy.Dkim.Enabled || !policy.Dkim.SignMynetworks)
        {
            return null;
        }

        var postconf = runner.Run(tools.Postconf, "-c", Path.Combine(root, "etc/postfix"), "-x", "-h", PostfixNetworks.Parameter);
        if (!postconf.Succeeded)
        {
            failed = postconf;
            return null;
        }

        var networks = PostfixNetworks.Parse(postconf.StandardOutput);
        if (networks.Negations.Length > 0)
        {
            errors.Add($"Postfix's mynetworks excludes {string.Join(", ", networks.Negations)}, which OpenDKIM's InternalHosts cannot express in Postfix's order; "
                + "set dkim.sign_mynetworks: false and list the networks to sign for in dkim.internal_hosts");
        }

        warnings.AddRange(networks.Unreadable.Select(entry =>
            $"Postfix's mynetworks entry {entry} is a lookup table OpenDKIM cannot read: mail from its networks is not signed unless dkim.internal_hosts lists them"));
        return networks;
    }
}
