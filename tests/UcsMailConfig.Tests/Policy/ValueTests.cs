using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Tests.Policy;

/// <summary>The value types' own rules, including the edges that are easy to get wrong.</summary>
public sealed class ValueTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("30s", 30)]
    [InlineData("1h", 3600)]
    [InlineData("5d", 432000)]
    [InlineData("00", 0)]
    [InlineData("2w", 1209600)]
    public void Durations_parse_to_seconds(string text, long seconds)
    {
        Assert.True(PostfixDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.Seconds);
        Assert.Equal(text, duration.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2x")]
    [InlineData("1H")]
    [InlineData("-1")]
    [InlineData("1.5h")]
    [InlineData("h")]
    [InlineData("99999999999w")]
    [InlineData("3600")] // Postfix would read days here and hours for delay_warning_time: a policy names the unit
    [InlineData("5")]
    public void Bad_durations_are_refused(string text) => Assert.False(PostfixDuration.TryParse(text, out _));

    [Fact]
    public void A_value_postfix_already_holds_takes_the_parameters_default_unit()
    {
        Assert.True(PostfixDuration.TryParse("5", out var duration, unitlessAs: 'd'));
        Assert.Equal(432000, duration.Seconds);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.1.0.0/8", false)]
    [InlineData("fd00::/8", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("1", false)]
    [InlineData("mail.example.com", true)]
    [InlineData("10.0.0.0/33", false)]
    public void Host_patterns(string text, bool valid) => Assert.Equal(valid, HostPattern.TryParse(text, out _));

    [Theory]
    [InlineData("*@*")]
    [InlineData("*")]
    [InlineData("@")]
    [InlineData("user@*")]
    [InlineData("*@*.*")]
    public void Catch_all_sender_patterns_are_recognised(string text) => Assert.True(SenderPattern.IsCatchAll(text));

    [Theory]
    [InlineData("*@*.example.com", "example.com", true)]
    [InlineData("*@example.com", "example.com", true)]
    [InlineData("*@lists.example.org", "example.org", true)]
    [InlineData("*@example.net", "example.com", false)]
    [InlineData("*@badexample.com", "example.com", false)]
    public void Sender_patterns_know_their_domain(string text, string domain, bool within)
    {
        Assert.True(SenderPattern.TryParse(text, out var pattern));
        Assert.True(DomainName.TryParse(domain, out var d));
        Assert.Equal(within, pattern.IsWithin(d));
    }

    [Theory]
    [InlineData("include:_spf.google.com", true)]
    [InlineData("-ip4:192.0.2.0/24", true)]
    [InlineData("ip4:192.0.2.0/33", false)]
    [InlineData("mx/24", true)]
    [InlineData("a:mail.example.com/24//64", true)]
    [InlineData("ptr", false)]
    [InlineData("redirect=_spf.example.com", false)]
    public void Spf_mechanisms(string text, bool valid) => Assert.Equal(valid, SpfMechanism.TryParse(text, out _));

    [Theory]
    [InlineData("/var/spool/postfix/a.sock", true)]
    [InlineData("inet:12345@localhost", true)]
    [InlineData("inet6:8891@[::1]", true)]
    [InlineData("local:/var/spool/postfix/x.sock", true)]
    [InlineData("inet:12345", false)]
    [InlineData("inet6:8891@::1", false)]
    [InlineData("local:x.sock", false)]
    [InlineData("localhost", false)]
    [InlineData("localhost:0", false)]
    [InlineData("[127.0.0.1]:25", false)]
    [InlineData("unix:relative.sock", false)]
    public void Sockets(string text, bool valid) => Assert.Equal(valid, MilterSocket.TryParse(text, out _));
}
