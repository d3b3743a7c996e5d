using System.Text;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Tests.Rendering;

/// <summary>
/// A policy with many domains renders completely: Scriban's default output limit once cut the
/// KeyTable of 10,000 domains after 1 MiB, silently, with "...".
/// </summary>
public sealed class LargePolicyTests
{
    [Fact]
    public void Ten_thousand_domains_render_every_table_row()
    {
        const int domains = 10_000;
        var yaml = new StringBuilder("version: 1\ndomains:\n");
        for (var i = 1; i <= domains; i++)
        {
            yaml.Append($"  d{i:D5}.example.com:\n    dkim:\n      selectors:\n        \"20261128\": {{}}\n");
        }

        var result = PolicyLoader.Load(yaml.ToString());
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.Format("policy"))));
        var tree = TreeRenderer.Render(RenderModelDeriver.Derive(result.Policy!));

        foreach (var table in new[] { TemplateCatalog.KeyTable, TemplateCatalog.SigningTable })
        {
            var lines = Encoding.UTF8.GetString(tree.Files[TemplateCatalog.OutputPath(table)].Content).Split('\n');
            var rows = lines.Where(line => line.Contains("._domainkey.", StringComparison.Ordinal)).ToList();
            Assert.Equal(domains, rows.Count);
            Assert.Contains("d10000.example.com", rows[^1], StringComparison.Ordinal);
            Assert.Equal("", lines[^1]);
        }

        var zone = Encoding.UTF8.GetString(tree.Files[TemplateCatalog.OutputPath(TemplateCatalog.DnsZone)].Content);
        Assert.Equal(domains, zone.Split('\n').Count(line => line.EndsWith(". IN TXT: no key here (see above)", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A large policy is shape-checked and bound at the same time, each into its own findings:
    /// the report still holds both kinds, once each, in file order.
    /// </summary>
    [Fact]
    public void A_large_policy_reports_shape_and_binding_errors_together_in_file_order()
    {
        const int domains = 2_000;
        var yaml = new StringBuilder("version: 1\ndomains:\n");
        for (var i = 1; i <= domains; i++)
        {
            var key = i is 1_500 or 1_501 ? "\n          key: /etc/opendkim/keys/shared.private\n" : " {}\n";
            var spf = i is 10 or 1_999 ? "    spf: {mechanisms: [mx], all: sometimes}\n" : "";
            yaml.Append($"  d{i:D5}.example.com:\n    dkim:\n      selectors:\n        \"s1\":{key}{spf}");
        }

        Assert.True(yaml.Length > 64 * 1024, "the policy must be large enough to be checked concurrently");
        var result = PolicyLoader.Load(yaml.ToString());

        Assert.False(result.IsValid);
        var found = result.Diagnostics.Select(d => (d.Code.Id, d.Position.Line)).ToList();
        var lineOf = (string text) => yaml.ToString().Split('\n').ToList().FindIndex(line => line.Contains(text, StringComparison.Ordinal)) + 1;
        Assert.Equal(
            [
                ("UMC023", lineOf("d00010.example.com") + 4),
                ("UMC053", lineOf("d01501.example.com") + 4),
                ("UMC023", lineOf("d01999.example.com") + 4),
            ],
            found);
    }
}
