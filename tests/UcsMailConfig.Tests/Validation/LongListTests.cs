using System.Text;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;

namespace UcsMailConfig.Tests.Validation;

/// <summary>
/// The duplicate checks of the long lists (one domain's selectors, TLS destinations) see every
/// entry: 100,000 entries with one duplicate, in another letter case, report exactly that one.
/// (Their speed is measured by tests/UcsMailConfig.Benchmarks/run.sh, not here.)
/// </summary>
public sealed class LongListTests
{
    private const int Entries = 100_000;

    [Fact]
    public void One_duplicate_among_100000_selectors_is_reported_at_its_line()
    {
        var yaml = new StringBuilder("version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n");
        for (var i = 0; i < Entries; i++)
        {
            yaml.Append($"        s{i:D6}: {{}}\n");
        }

        yaml.Append("        S050000: {}\n"); // line 6 + Entries: the same DNS name as s050000

        AssertOneDuplicateAt(yaml.ToString(), 6 + Entries, 9);
    }

    [Fact]
    public void One_duplicate_among_100000_tls_destinations_is_reported_at_its_line()
    {
        var yaml = new StringBuilder("version: 1\ntls:\n  destinations:\n");
        for (var i = 0; i < Entries; i++)
        {
            yaml.Append($"    \"[mx{i:D6}.example.net]:25\": encrypt\n");
        }

        yaml.Append("    \"[MX000001.example.net]:25\": encrypt\n");

        AssertOneDuplicateAt(yaml.ToString(), 4 + Entries, 5);
    }

    private static void AssertOneDuplicateAt(string yaml, int line, int column)
    {
        var result = PolicyLoader.Load(yaml);

        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).ToList();
        var error = Assert.Single(errors);
        Assert.Equal(DiagnosticCode.DuplicateKey, error.Code);
        Assert.Equal(new SourcePosition(line, column), error.Position);
    }
}
