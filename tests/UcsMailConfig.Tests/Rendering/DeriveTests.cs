using UcsMailConfig.Dkim;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs.Layout;

namespace UcsMailConfig.Tests.Rendering;

/// <summary>The decisions of the derive step, one rule per test.</summary>
public sealed class DeriveTests
{
    private static RenderModel Derive(string yaml) => Derive(yaml, StockMilterTemplate.Ucs5);

    /// <summary>For a host without UCS's 70_milter: our fragment writes both milter lists.</summary>
    private static RenderModel DeriveStandalone(string yaml) => Derive(yaml, StockMilterTemplate.None);

    private static RenderModel Derive(string yaml, StockMilterTemplate milterTemplate)
    {
        var result = PolicyLoader.Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format("policy"))));
        return RenderModelDeriver.Derive(result.Policy!, DkimPublicKeys.None, milterTemplate, networks: null);
    }

    private static string[] MilterVariables(RenderModel model) =>
        [.. model.UcrVariables.Where(v => v.Name.Contains("_milters/", StringComparison.Ordinal)).Select(v => $"{v.Name}={v.Value.Text}")];

    private static string Setting(RenderModel model, string name) =>
        model.MainCf.SelectMany(s => s.Settings).Single(s => s.Name == name).Value;

    private static string OpenDkimSetting(RenderModel model, string name) =>
        model.OpenDkim!.Settings.Single(s => s.Name == name).Value;

    private const string OneDomain = "domains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n";

    [Theory]
    [InlineData("localhost:12345", "inet:localhost:12345", "inet:12345@localhost")]
    [InlineData("inet:localhost:12345", "inet:localhost:12345", "inet:12345@localhost")]
    [InlineData("127.0.0.1:8891", "inet:127.0.0.1:8891", "inet:8891@[127.0.0.1]")]
    [InlineData("\"[::1]:8891\"", "inet:[::1]:8891", "inet6:8891@[::1]")]
    [InlineData("/var/spool/postfix/opendkim/opendkim.sock", "unix:opendkim/opendkim.sock", "local:/var/spool/postfix/opendkim/opendkim.sock")]
    [InlineData("unix:/var/spool/postfix/x.sock", "unix:x.sock", "local:/var/spool/postfix/x.sock")]
    public void One_socket_value_gives_both_spellings(string socket, string postfix, string openDkim)
    {
        var model = DeriveStandalone($"version: 1\ndkim:\n  socket: {socket}\n{OneDomain}");

        Assert.Equal(postfix, Setting(model, "smtpd_milters"));
        Assert.Equal(postfix, Setting(model, "non_smtpd_milters"));
        Assert.Equal(openDkim, OpenDkimSetting(model, "Socket"));
    }

    [Fact]
    public void Milters_keep_chain_order_and_their_stages()
    {
        var model = DeriveStandalone("version: 1\npostfix:\n  milters:\n    chain:\n      - {name: opendkim}\n      - {name: rspamd, socket: localhost:11332, applies_to: [smtpd]}\n" + OneDomain);

        Assert.Equal("inet:localhost:8891, inet:localhost:11332", Setting(model, "smtpd_milters"));
        Assert.Equal("inet:localhost:8891", Setting(model, "non_smtpd_milters"));
    }

    [Fact]
    public void Opendkim_is_added_last_when_the_chain_does_not_place_it()
    {
        var model = DeriveStandalone("version: 1\npostfix:\n  milters:\n    chain:\n      - {name: rspamd, socket: localhost:11332}\n" + OneDomain);

        Assert.Equal("inet:localhost:11332, inet:localhost:8891", Setting(model, "smtpd_milters"));
    }

    [Fact]
    public void Where_UCS_70_milter_writes_smtpd_milters_our_milters_become_its_variables_in_chain_order()
    {
        var model = Derive("version: 1\npostfix:\n  milters:\n    chain:\n      - {name: rspamd, socket: localhost:11332, applies_to: [smtpd]}\n      - {name: opendkim}\n" + OneDomain);

        Assert.DoesNotContain(model.MainCf.SelectMany(s => s.Settings), s => s.Name == "smtpd_milters");
        Assert.Equal("inet:localhost:8891", Setting(model, "non_smtpd_milters"));
        Assert.Equal(
            ["mail/postfix/smtpd_milters/50_ucs-mail-config_01_rspamd=inet:localhost:11332", "mail/postfix/smtpd_milters/50_ucs-mail-config_02_opendkim=inet:localhost:8891"],
            MilterVariables(model));
    }

    [Fact]
    public void Where_70_milter_writes_both_lists_our_fragment_writes_neither()
    {
        var model = Derive("version: 1\npostfix:\n  milters:\n    chain:\n      - {name: rspamd, socket: localhost:11332, applies_to: [smtpd]}\n" + OneDomain, new StockMilterTemplate(true, true));

        Assert.DoesNotContain(model.MainCf.SelectMany(s => s.Settings), s => s.Name.EndsWith("_milters", StringComparison.Ordinal));
        Assert.Equal("accept", Setting(model, "milter_default_action"));
        Assert.Equal(
            [
                "mail/postfix/non_smtpd_milters/50_ucs-mail-config_02_opendkim=inet:localhost:8891",
                "mail/postfix/smtpd_milters/50_ucs-mail-config_01_rspamd=inet:localhost:11332",
                "mail/postfix/smtpd_milters/50_ucs-mail-config_02_opendkim=inet:localhost:8891",
            ],
            MilterVariables(model));
    }

    [Fact]
    public void Ten_milters_get_keys_of_one_width_so_that_key_order_is_chain_order()
    {
        var chain = string.Concat(Enumerable.Range(0, 10).Select(i => $"      - {{name: m{i}, socket: localhost:{11000 + i}}}\n"));
        var model = Derive("version: 1\npostfix:\n  milters:\n    chain:\n" + chain + OneDomain);

        var smtpd = MilterVariables(model).Where(v => v.StartsWith("mail/postfix/smtpd_milters/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(11, smtpd.Length);
        Assert.Equal(smtpd.Order(StringComparer.Ordinal), smtpd);
        Assert.StartsWith("mail/postfix/smtpd_milters/50_ucs-mail-config_01_m0=", smtpd[0], StringComparison.Ordinal);
        Assert.StartsWith("mail/postfix/smtpd_milters/50_ucs-mail-config_11_opendkim=", smtpd[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mail/postfix/smtpd_milters/50_ucs-mail-config_01_opendkim", true)]
    [InlineData("mail/postfix/non_smtpd_milters/50_ucs-mail-config_123_rspamd", true)]
    [InlineData("mail/postfix/smtpd_milters/10_sendercheck", false)]
    [InlineData("mail/postfix/smtpd_milters/50_ucs-mail-config_1_x", false)]
    [InlineData("mail/postfix/smtpd_milters/50_ucs-mail-config_01_x y", false)]
    [InlineData("mail/postfix/smtpd_milters/50_ucs-mail-config_01_x=y", false)]
    [InlineData("mail/postfix/maximal_queue_lifetime", false)]
    public void Only_names_we_make_count_as_our_milter_variables(string name, bool ours) =>
        Assert.Equal(ours, StockMilterTemplate.IsOurs(name));

    [Fact]
    public void Only_active_selectors_sign_and_specific_patterns_come_first()
    {
        var model = Derive("""
            version: 1
            dkim:
              signing:
                - {from: "news@example.com", domain: example.com, selector: new}
            domains:
              example.com:
                dkim:
                  subdomains: true
                  selectors:
                    old: {state: retired}
                    new: {}
                    next: {state: pending}
            """);

        Assert.Equal(["new._domainkey.example.com"], model.OpenDkim!.KeyTable.Select(r => r.KeyName));
        Assert.Equal(
            ["news@example.com", "*@example.com", "*@*.example.com"],
            model.OpenDkim.SigningTable.Select(r => r.Pattern));
        Assert.Equal("no", OpenDkimSetting(model, "MultipleSignatures"));
    }

    [Fact]
    public void Two_active_selectors_for_one_sender_turn_on_multiple_signatures()
    {
        var model = Derive("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        a: {}\n        b: {}\n");

        Assert.Equal("yes", OpenDkimSetting(model, "MultipleSignatures"));
    }

    [Fact]
    public void Parameters_that_UCS_writes_become_UCR_variables_and_others_go_into_our_fragment()
    {
        var model = Derive("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n  parameters:\n    relayhost: \"[relay.example.com]:587\"\n    smtp_line_length_limit: 0\n");

        Assert.Equal(
            [("mail/postfix/maximal_queue_lifetime", "1h"), ("mail/relayhost", "[relay.example.com]:587")],
            model.UcrVariables.Select(v => (v.Name, v.Value.Text)));
        Assert.Equal("0", Setting(model, "smtp_line_length_limit"));
        Assert.DoesNotContain(model.MainCf.SelectMany(s => s.Settings), s => s.Name is "relayhost" or "maximal_queue_lifetime");
    }

    [Fact]
    public void A_policy_without_dkim_or_milters_renders_only_the_ucr_variables()
    {
        var model = Derive("version: 1\npostfix:\n  queue:\n    maximal_lifetime: 1h\n");

        Assert.Equal([TemplateCatalog.UcrVariables], model.Templates.ToArray());
        Assert.Null(model.OpenDkim);
    }

    [Fact]
    public void Internal_hosts_get_their_own_file_only_when_they_differ()
    {
        var same = Derive("version: 1\n" + OneDomain);
        var own = Derive("version: 1\ndkim:\n  internal_hosts: [10.0.0.0/8]\n" + OneDomain);

        Assert.DoesNotContain(TemplateCatalog.InternalHosts, same.Templates);
        Assert.Equal("/etc/opendkim/TrustedHosts", OpenDkimSetting(same, "InternalHosts"));
        Assert.Contains(TemplateCatalog.InternalHosts, own.Templates);
        Assert.Equal("/etc/opendkim/InternalHosts", OpenDkimSetting(own, "InternalHosts"));
        Assert.Equal(["10.0.0.0/8", "127.0.0.1", "::1"], own.OpenDkim!.InternalHosts!.Value.Where(l => !l.StartsWith('#')).ToArray());
    }

    [Fact]
    public void The_hosts_opendkim_signs_for_are_the_policys_loopback_and_the_hosts_mynetworks()
    {
        var policy = PolicyLoader.Load("version: 1\ndkim:\n  trusted_hosts: [10.1.0.0/16, 127.0.0.1]\n" + OneDomain).Policy!;
        var networks = PostfixNetworks.Parse("127.0.0.0/8 [::1]/128 10.1.0.0/16 192.0.2.0/24");

        var rendered = RenderModelDeriver.Derive(policy, DkimPublicKeys.None, StockMilterTemplate.Ucs5, networks: null).OpenDkim!;
        var applied = RenderModelDeriver.Derive(policy, DkimPublicKeys.None, StockMilterTemplate.Ucs5, networks).OpenDkim!;
        var narrowed = RenderModelDeriver.Derive(policy with { Dkim = policy.Dkim with { SignMynetworks = false } }, DkimPublicKeys.None, StockMilterTemplate.Ucs5, networks).OpenDkim!;

        // render says what apply adds; apply adds the networks not listed yet; loopback always.
        Assert.Equal(["10.1.0.0/16", "127.0.0.1", "::1"], rendered.TrustedHosts.Where(l => !l.StartsWith('#')).ToArray());
        Assert.Contains(rendered.TrustedHosts, l => l.StartsWith("# apply adds Postfix's mynetworks", StringComparison.Ordinal));
        Assert.Equal(["10.1.0.0/16", "127.0.0.1", "::1", "127.0.0.0/8", "192.0.2.0/24"], applied.TrustedHosts.Where(l => !l.StartsWith('#')).ToArray());
        Assert.Equal(["10.1.0.0/16", "127.0.0.1", "::1"], narrowed.TrustedHosts.ToArray());
    }

    [Fact]
    public void With_internal_hosts_the_networks_go_into_the_internal_hosts_file_only()
    {
        var policy = PolicyLoader.Load("version: 1\ndkim:\n  internal_hosts: [10.0.0.0/8]\n" + OneDomain).Policy!;

        var dkim = RenderModelDeriver.Derive(policy, DkimPublicKeys.None, StockMilterTemplate.Ucs5, PostfixNetworks.Parse("192.0.2.0/24")).OpenDkim!;

        Assert.Equal(["127.0.0.1", "::1"], dkim.TrustedHosts.ToArray());
        Assert.Equal(["10.0.0.0/8", "127.0.0.1", "::1", "192.0.2.0/24"], dkim.InternalHosts!.Value.Where(l => !l.StartsWith('#')).ToArray());
    }

    [Fact]
    public void Milters_are_kept_off_the_content_filters_reinjection_listener_unless_the_policy_sets_the_map()
    {
        var ours = Derive("version: 1\n" + OneDomain);
        var theirs = Derive("version: 1\npostfix:\n  parameters:\n    smtpd_milter_maps: cidr:/etc/postfix/milter_map\n" + OneDomain);

        Assert.Equal("${{$service_name} == {127.0.0.1:10025} ? {static:DISABLE} : {}}", Setting(ours, "smtpd_milter_maps"));
        Assert.Equal("cidr:/etc/postfix/milter_map", Setting(theirs, "smtpd_milter_maps"));
    }
}
