using System.Text;
using UcsMailConfig.Policy;
using UcsMailConfig.Rendering;

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
    }
}
