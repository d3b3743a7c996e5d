using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Apply;

/// <summary>
/// The signing rule's hosts on a sandbox host: apply reads Postfix's effective mynetworks
/// (<c>postconf -x -h mynetworks</c>) into the file OpenDKIM's InternalHosts reads, diff shows
/// it, a later change of mynetworks is a pending change, and the forms OpenDKIM cannot carry are
/// refused (a negation) or warned about (a lookup table).
/// </summary>
public sealed class ApplyMynetworksTests
{
    private const string TrustedHosts = "etc/opendkim/TrustedHosts";

    private static void SetMynetworks(ApplySandbox host, string value)
    {
        File.WriteAllText(host["etc/postfix/main.cf.local"], $"mynetworks = {value}\n");
        host.Host.Ucr("commit", "/etc/postfix/main.cf");
    }

    [Fact]
    public void Both_networks_go_into_internal_hosts_and_diff_shows_them_before_and_after_a_change()
    {
        using var host = new ApplySandbox();
        var policy = ApplySandbox.Example("single-domain");
        host.CreateKeys(policy);
        SetMynetworks(host, "127.0.0.0/29, 192.0.2.0/24");

        var diff = host.Diff(policy);
        var apply = host.Apply(policy);

        Assert.True(diff.Exit == 2, diff.Out + diff.Err);
        Assert.Contains("+192.0.2.0/24", diff.Out, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Out + apply.Err);
        var lines = File.ReadAllLines(host[TrustedHosts]);
        Assert.Contains("127.0.0.0/29", lines);
        Assert.Contains("192.0.2.0/24", lines);
        Assert.Contains("127.0.0.1", lines);
        Assert.Contains("InternalHosts           /etc/opendkim/TrustedHosts", File.ReadAllText(host["etc/opendkim.conf"]), StringComparison.Ordinal);

        SetMynetworks(host, "127.0.0.0/29, 198.51.100.0/24");
        var later = host.Diff(policy);

        Assert.True(later.Exit == 2, later.Out + later.Err);
        Assert.Contains("-192.0.2.0/24", later.Out, StringComparison.Ordinal);
        Assert.Contains("+198.51.100.0/24", later.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negation_is_refused_and_a_table_is_a_warning()
    {
        using var host = new ApplySandbox();
        var policy = ApplySandbox.Example("single-domain");
        host.CreateKeys(policy);
        File.WriteAllText(host["etc/postfix/networks"], "10.0.0.0/8 OK\n");

        SetMynetworks(host, "!127.0.0.5 127.0.0.0/29");
        var refused = host.Apply(policy);
        SetMynetworks(host, $"127.0.0.0/29 cidr:{host["etc/postfix/networks"]}");
        var warned = host.Apply(policy);

        Assert.True(refused.Exit == 5, refused.Out + refused.Err);
        Assert.Contains("excludes !127.0.0.5", refused.Err, StringComparison.Ordinal);
        Assert.Single(refused.Err.TrimEnd('\n').Split('\n'), l => l.Contains("excludes", StringComparison.Ordinal));
        Assert.True(warned.Exit == 0, warned.Out + warned.Err);
        Assert.Contains($"entry cidr:{host["etc/postfix/networks"]} is a lookup table OpenDKIM cannot read", warned.Err, StringComparison.Ordinal);
        Assert.Contains("127.0.0.0/29", File.ReadAllLines(host[TrustedHosts]));
    }
}
