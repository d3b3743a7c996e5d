using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Tests.Policy;

/// <summary>The destination forms of Postfix's TLS policy table, and the ones that are not.</summary>
public sealed class TlsDestinationTests
{
    [Theory]
    [InlineData("example.org", "example.org", true)]
    [InlineData("Example.ORG", "example.org", true)]
    [InlineData(".example.org", ".example.org", true)]
    [InlineData("example.org:587", "example.org:587", true)]
    [InlineData("[mail.example.org]", "[mail.example.org]", true)]
    [InlineData("[mail.example.org]:0587", "[mail.example.org]:587", true)]
    [InlineData("[relay]", "[relay]", true)]
    [InlineData("[192.0.2.25]", "[192.0.2.25]", false)]
    [InlineData("[192.0.2.25]:25", "[192.0.2.25]:25", false)]
    [InlineData("[2001:DB8::25]:25", "[2001:db8::25]:25", false)]
    public void Accepts_the_next_hop_forms_postfix_looks_up(string text, string normalised, bool isDnsName)
    {
        Assert.True(TlsDestination.TryParse(text, out var destination));
        Assert.Equal(new TlsDestination(normalised, isDnsName), destination);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*.example.org")]
    [InlineData("example")]
    [InlineData("192.0.2.25")]
    [InlineData("2001:db8::25")]
    [InlineData("[example.org")]
    [InlineData("example.org]")]
    [InlineData("[]")]
    [InlineData("[192.0.2]")]
    [InlineData("example.org:0")]
    [InlineData("example.org:65536")]
    [InlineData("example.org:")]
    [InlineData(".example.org:25")]
    [InlineData("..example.org")]
    [InlineData("mail example.org")]
    [InlineData("smtp:[mail.example.org]")]
    [InlineData("exa_mple.org")]
    public void Refuses_what_is_no_destination(string text)
    {
        Assert.False(TlsDestination.TryParse(text, out _));
    }
}
