using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Golden;

/// <summary>UCSMAIL_ACCEPT rewrites goldens on a developer's machine and fails a CI run.</summary>
public sealed class GoldenAcceptTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("0", "true", false)]
    [InlineData("1", null, true)]
    [InlineData("1", "", true)]
    [InlineData("1", "false", true)]
    public void Accept_is_honoured_only_outside_CI(string? accept, string? ci, bool expected)
    {
        Assert.Equal(expected, GoldenAccept.IsRequested(Environment(accept, ci)));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    public void Accept_under_CI_fails_instead_of_rewriting(string ci)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => GoldenAccept.IsRequested(Environment("1", ci)));
        Assert.Contains("UCSMAIL_ACCEPT=1 is set under CI", refused.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(string? accept, string? ci) =>
        name => name switch { "UCSMAIL_ACCEPT" => accept, "CI" => ci, _ => null };
}
