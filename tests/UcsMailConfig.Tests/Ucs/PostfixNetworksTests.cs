using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>Postfix's mynetworks, in every form Postfix allows, as OpenDKIM InternalHosts entries.</summary>
public sealed class PostfixNetworksTests
{
    [Fact]
    public void Every_address_form_postfix_allows_is_carried()
    {
        var networks = PostfixNetworks.Parse("127.0.0.0/8, 192.0.2.7/24 [::1]/128\n [fe80::]/64 198.51.100.9 [2001:db8::1] mail.example.com 127.0.0.0/8");

        Assert.Equal(["127.0.0.0/8", "192.0.2.0/24", "::1", "fe80::/64", "198.51.100.9", "2001:db8::1", "mail.example.com"],
            networks.Hosts.Select(h => h.Text).ToArray());
        Assert.Empty(networks.Unreadable);
        Assert.Empty(networks.Negations);
    }

    [Fact]
    public void Tables_and_negations_are_named_not_carried()
    {
        var networks = PostfixNetworks.Parse("10.0.0.0/8 !10.9.0.0/16 hash:/etc/postfix/network_table /etc/postfix/networks cidr:/etc/postfix/n.cidr");

        Assert.Equal(["10.0.0.0/8"], networks.Hosts.Select(h => h.Text).ToArray());
        Assert.Equal(["hash:/etc/postfix/network_table", "/etc/postfix/networks", "cidr:/etc/postfix/n.cidr"], networks.Unreadable.ToArray());
        Assert.Equal(["!10.9.0.0/16"], networks.Negations.ToArray());
    }
}
