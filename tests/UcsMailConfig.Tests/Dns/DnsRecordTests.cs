using System.Text.Json;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dns;

/// <summary>The record values derived from a policy, the dns command's forms, and comparing found records by meaning.</summary>
public sealed class DnsRecordTests
{
    [Theory]
    [InlineData("fail", "v=spf1 mx a:mail.example.com ip6:2001:db8::/32 -all")]
    [InlineData("softfail", "v=spf1 mx a:mail.example.com ip6:2001:db8::/32 ~all")]
    [InlineData("neutral", "v=spf1 mx a:mail.example.com ip6:2001:db8::/32 ?all")]
    public void Spf_lists_the_mechanisms_in_order_and_ends_with_the_all_qualifier(string all, string expected)
    {
        var records = Derive($"""
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx, "a:mail.example.com", "ip6:2001:db8::/32"]
                  all: {all}
            """);

        Assert.Equal(expected, records.Single().Value);
        Assert.Equal("example.com", records.Single().Name);
    }

    [Theory]
    [InlineData("{policy: none}", "v=DMARC1; p=none")]
    [InlineData("{policy: reject, subdomain_policy: reject, percent: 100, adkim: relaxed, aspf: relaxed}", "v=DMARC1; p=reject")]
    [InlineData("{policy: quarantine, subdomain_policy: none, percent: 25, rua: [\"mailto:a@example.com\", \"mailto:b@example.net!10m\"], ruf: [\"mailto:f@example.com\"], adkim: strict, aspf: strict}",
        "v=DMARC1; p=quarantine; sp=none; pct=25; rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; adkim=s; aspf=s")]
    public void Dmarc_has_a_fixed_tag_order_and_leaves_out_defaults(string dmarc, string expected)
    {
        var records = Derive($"version: 1\ndomains:\n  example.com:\n    dmarc: {dmarc}\n");

        Assert.Equal(expected, records.Single().Value);
        Assert.Equal("_dmarc.example.com", records.Single().Name);
    }

    [Fact]
    public void Pending_active_and_retired_selectors_are_all_published_in_name_order_before_spf_and_dmarc()
    {
        var records = Derive("""
            version: 1
            domains:
              example.org:
                spf: {mechanisms: [mx]}
                dmarc: {policy: none}
                dkim:
                  selectors:
                    c: {state: retired}
                    a: {state: pending}
                    b: {}
              example.com:
                spf: {mechanisms: [mx]}
            """);

        Assert.Equal(
            ["example.com", "a._domainkey.example.org", "b._domainkey.example.org", "c._domainkey.example.org", "example.org", "_dmarc.example.org"],
            records.Select(r => r.Name));
        Assert.Contains("(retired: still published, no longer signing)", records[3].Comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_json_is_one_object_per_record_with_both_forms()
    {
        using var policy = new KeyedPolicy();

        var result = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--format", "json");

        Assert.True(result.Exit == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var records = json.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["dkim", "spf", "dmarc"], records.Select(r => r.GetProperty("kind").GetString()));
        var dkim = records[0];
        Assert.Equal("s1._domainkey.example.com", dkim.GetProperty("name").GetString());
        Assert.Equal("TXT", dkim.GetProperty("type").GetString());
        Assert.Equal("s1", dkim.GetProperty("selector").GetString());
        Assert.Equal("active", dkim.GetProperty("state").GetString());
        Assert.Equal(dkim.GetProperty("value").GetString(), string.Concat(dkim.GetProperty("strings").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal(JsonValueKind.Null, records[1].GetProperty("selector").ValueKind);
    }

    [Fact]
    public void Dns_zone_output_is_the_rendered_zone_file_when_the_keys_are_given()
    {
        using var policy = new KeyedPolicy();
        var model = policy.Load();
        var keys = UcsMailConfig.Dkim.DkimKeyStore.ReadPublicKeys(model, policy.Root).Keys;

        var tree = TreeRenderer.Render(RenderModelDeriver.Derive(model, keys));

        Assert.Equal(policy.ZoneForm(), System.Text.Encoding.UTF8.GetString(tree.Files["var/lib/ucs-mail-config/dns/zone"].Content));
    }

    [Fact]
    public void Dns_prints_nothing_and_exits_1_when_a_key_is_missing_unless_allowed()
    {
        using var policy = new KeyedPolicy(createKeys: false);

        var strict = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root);
        var lenient = CliRun.Run("dns", policy.PolicyPath, "--root", policy.Root, "--allow-missing-keys", "--format", "plain");

        Assert.Equal(1, strict.Exit);
        Assert.Equal("", strict.Stdout);
        Assert.Contains(":6:9: error UMC062: selector 's1' of example.com: there is no key file", strict.Stderr, StringComparison.Ordinal);
        Assert.True(lenient.Exit == 0, lenient.ToString());
        Assert.Contains(":6:9: warning UMC062:", lenient.Stderr, StringComparison.Ordinal);
        Assert.Contains("# s1._domainkey.example.com TXT: no key here (see above)", lenient.Stdout, StringComparison.Ordinal);
        Assert.Contains("example.com TXT v=spf1 mx ip4:192.0.2.0/24 -all\n", lenient.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=spf1 mx ip4:192.0.2.0/24 -all", DnsCheckStatus.Match)]
    [InlineData("V=SPF1  MX +ip4:192.0.2.0/24   -ALL", DnsCheckStatus.Match)]
    [InlineData("v=spf1 ip4:192.0.2.0/24 mx -all", DnsCheckStatus.Different)]
    [InlineData("v=spf1 mx ip4:192.0.2.0/24 ~all", DnsCheckStatus.Different)]
    [InlineData("google-site-verification=abc", DnsCheckStatus.Missing)]
    public void Spf_is_compared_by_its_terms_in_order(string published, DnsCheckStatus status)
    {
        var spf = Derive(KeyedPolicy.OneDomain).Single(r => r.Kind == DnsRecordKind.Spf);

        Assert.Equal(status, DnsRecordComparison.Compare(spf, [published, "another TXT record"]).Status);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject; rua=mailto:dmarc@example.com", DnsCheckStatus.Match)]
    [InlineData("v=DMARC1;p=reject;sp=reject;pct=100;adkim=r;aspf=r;rua=mailto:dmarc@example.com", DnsCheckStatus.Match)]
    [InlineData("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com", DnsCheckStatus.Different)]
    [InlineData("v=DMARC1; p=reject", DnsCheckStatus.Different)]
    [InlineData("v=DMARC1; p=reject; rua=mailto:dmarc@example.com; fo=1", DnsCheckStatus.Different)]
    public void Dmarc_is_compared_by_its_tags_with_defaults(string published, DnsCheckStatus status)
    {
        var dmarc = Derive(KeyedPolicy.OneDomain).Single(r => r.Kind == DnsRecordKind.Dmarc);

        Assert.Equal(status, DnsRecordComparison.Compare(dmarc, [published]).Status);
    }

    [Fact]
    public void Dkim_is_compared_by_its_key()
    {
        var dkim = new DnsRecord(new("example.com"), DnsRecordKind.Dkim, "s1._domainkey.example.com", "v=DKIM1; k=rsa; p=ABCDEFGH", "test");

        Assert.Equal(DnsCheckStatus.Match, DnsRecordComparison.Compare(dkim, ["v=DKIM1; h=sha256; k=rsa; p=ABCD EFGH"]).Status);
        Assert.Equal(DnsCheckStatus.Match, DnsRecordComparison.Compare(dkim, ["p=ABCDEFGH"]).Status);
        Assert.Equal(DnsCheckStatus.Truncated, DnsRecordComparison.Compare(dkim, ["v=DKIM1; k=rsa; p=ABCD"]).Status);
        Assert.Equal(DnsCheckStatus.Different, DnsRecordComparison.Compare(dkim, ["v=DKIM1; k=rsa; p=ABCDEFGHIJ"]).Status);
        Assert.Equal(DnsCheckStatus.Different, DnsRecordComparison.Compare(dkim, ["v=DKIM1; k=rsa; p="]).Status);
        Assert.Equal(DnsCheckStatus.Different, DnsRecordComparison.Compare(dkim, ["v=DKIM1; k=ed25519; p=ABCDEFGH"]).Status);
        Assert.Equal(DnsCheckStatus.Multiple, DnsRecordComparison.Compare(dkim, ["p=ABCDEFGH", "p=ABCDEFGH"]).Status);
        Assert.Equal(DnsCheckStatus.Missing, DnsRecordComparison.Compare(dkim, []).Status);
    }

    private static IReadOnlyList<DnsRecord> Derive(string yaml)
    {
        var result = PolicyLoader.Load(yaml + "\n");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format("policy"))));
        return DnsRecordDeriver.Derive(result.Policy!, DkimPublicKeys.None);
    }
}
