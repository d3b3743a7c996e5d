using UcsMailConfig.Tests.Support;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Ucs;

/// <summary>
/// The layer reader answers as <c>ucr get</c> does (UCS-FACTS.md, "UCR layers"): the first layer
/// that holds a key wins, in UCS's order, and a journal's base.conf values change only base.conf.
/// </summary>
public sealed class UcrLayersTests
{
    private const string Key = "mail/postfix/maximal_queue_lifetime";

    [Fact]
    public void The_first_layer_that_holds_a_key_wins_in_UCS_order()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("etc/univention"));
        foreach (var (layer, file) in UcrLayers.Files)
        {
            File.WriteAllText(root.Combine(file), $"# univention_ base.conf\n\n{Key}: from-{layer}\nother: x\n");
        }

        foreach (var (layer, file) in UcrLayers.Files)
        {
            Assert.Equal(new UcrEffective($"from-{layer}", layer), UcrLayers.Read(root.Path).Effective(Key));
            File.Delete(root.Combine(file));
        }

        Assert.Null(UcrLayers.Read(root.Path).Effective(Key));
    }

    [Fact]
    public void A_journal_value_changes_base_conf_only()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("etc/univention"));
        File.WriteAllText(root.Combine("etc/univention/base-ldap.conf"), $"{Key}: 3d\n");
        File.WriteAllText(root.Combine("etc/univention/base.conf"), $"{Key}: 1h\nmail/relayhost: relay\n");

        var restored = UcrLayers.Read(root.Path).WithBase([(Key, "2h"), ("mail/relayhost", null)]);

        Assert.Equal(new UcrEffective("3d", UcrLayer.Ldap), restored.Effective(Key));
        Assert.Equal("2h", restored.In(UcrLayer.Base, Key));
        Assert.Null(restored.Get("mail/relayhost"));
    }
}
