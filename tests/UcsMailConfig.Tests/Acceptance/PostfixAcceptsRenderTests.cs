using UcsMailConfig.Tests.Golden;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Acceptance;

/// <summary>
/// Real Postfix reads what we render: the stand-in stock fragments and our subfile, joined by
/// the ucr fixture in UCR's order with UCR's substitution, give a main.cf that
/// <c>postconf -n</c> reads without a single warning and with the policy's values.
/// </summary>
public sealed class PostfixAcceptsRenderTests
{
    [Theory]
    [InlineData("single-domain", "1h", "inet:localhost:12345", "inet:localhost:12345")]
    // smtpd_milters comes from UCS's 70_milter (stand-in), which joins its variables with spaces.
    [InlineData("multi-domain", "2d", "inet:localhost:11332 unix:opendkim/opendkim.sock", "unix:opendkim/opendkim.sock")]
    [InlineData("queue-only", "1h", null, null)]
    public void Postconf_reads_the_committed_main_cf_with_zero_warnings(string example, string lifetime, string? smtpdMilters, string? nonSmtpdMilters)
    {
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Path.Combine(RepoPaths.Examples, example, "mail-policy.yaml")));

        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-n"]);

        Assert.True(postconf.ExitCode == 0, postconf.ToString());
        Assert.True(postconf.StdErr.Length == 0, $"postconf warned:\n{postconf.StdErr}\nmain.cf:\n{File.ReadAllText(root["etc/postfix/main.cf"])}");
        var settings = Settings(postconf.StdOut);
        Assert.Equal(lifetime, settings["maximal_queue_lifetime"]);
        Assert.Equal(smtpdMilters, settings.GetValueOrDefault("smtpd_milters"));
        Assert.Equal(nonSmtpdMilters, settings.GetValueOrDefault("non_smtpd_milters"));
        Assert.Equal("mail.example.com", settings["myhostname"]);
    }

    [Fact]
    public void Queue_lifetimes_are_written_once_by_the_stock_fragment_not_by_ours()
    {
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml")));

        var lines = File.ReadAllLines(root["etc/postfix/main.cf"]);

        Assert.Single(lines, l => l.StartsWith("maximal_queue_lifetime", StringComparison.Ordinal));
        Assert.Contains("maximal_queue_lifetime = 1h", lines);
        Assert.Contains("bounce_queue_lifetime = 1h", lines);
        // Our fragment sorts after every stock fragment it must follow and before 99_local.
        var ours = Array.FindIndex(lines, l => l.StartsWith("milter_default_action", StringComparison.Ordinal));
        Assert.True(ours > Array.FindIndex(lines, l => l.StartsWith("mailbox_size_limit", StringComparison.Ordinal)));
        Assert.True(ours < Array.FindIndex(lines, l => l.Contains("99_local", StringComparison.Ordinal) && l.StartsWith("# Stand-in", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_parameter_that_UCS_writes_goes_through_its_UCR_variable()
    {
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Path.Combine(RepoPaths.Examples, "multi-domain", "mail-policy.yaml")));

        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-n"]);

        Assert.Equal("52428800", Settings(postconf.StdOut)["message_size_limit"]);
        Assert.Equal("52428800", root.Ucr("get", "mail/messagesizelimit").StdOut.Trim());
        Assert.Single(File.ReadAllLines(root["etc/postfix/main.cf"]), l => l.StartsWith("message_size_limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Postconf_would_warn_if_our_fragment_repeated_a_stock_parameter()
    {
        // The negative control: proves the zero-warnings assertion above can fail.
        using var root = new StockUcsRoot();
        root.Install(GoldenExamplesTests.Render(Path.Combine(RepoPaths.Examples, "single-domain", "mail-policy.yaml")));
        File.AppendAllText(root["etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config"], "maximal_queue_lifetime = 3h\n");
        root.Ucr("commit", "/etc/postfix/main.cf");

        var postconf = ExternalProgram.Run(ExternalProgram.Find("postconf"), ["-c", root["etc/postfix"], "-n"]);

        Assert.True(postconf.StdErr.Contains("overriding earlier entry", StringComparison.Ordinal), $"{postconf}\n{File.ReadAllText(root["etc/postfix/main.cf"])}");
    }

    private static Dictionary<string, string> Settings(string postconfOutput) =>
        postconfOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(" = ", 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");
}
