using UcsMailConfig.Diagnostics;
using Xunit.Abstractions;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The evidence behind the policy's defaults (docs/mail-flow.md): the same harness and matrix
/// with settings put back to what Postfix or OpenDKIM do on their own. Each row sends every
/// case and must fail exactly the cases documented for it, with the documented cause in the
/// mail log or in the delivered message; a row that fails nothing shows that a suspected
/// setting does not break this path. The rows also prove that the harness sees a broken
/// signature.
/// </summary>
public sealed class BreakingSettingsTests(ITestOutputHelper output)
{
    private const string QuotedPrintable = "Content-Transfer-Encoding: quoted-printable";
    private const string LineBroken = "breaking line > 998 bytes with <CR><LF>SPACE";

    /// <summary>
    /// Settings (NAME=VALUE, main.cf parameters or dkim.canonicalization), receiver, the cases
    /// that fail, and each cause ('|' between them) as the mail log or a failed message shows it.
    /// </summary>
    public static TheoryData<string, Receiver, string, string> Rows() => new()
    {
        { "disable_mime_output_conversion=no", Receiver.Without8BitMime, "German8Bit ViaSendmail", QuotedPrintable },
        { "disable_mime_output_conversion=no", Receiver.Announces8BitMime, "", "" },
        { "smtp_line_length_limit=998", Receiver.Announces8BitMime, "QuotedHtmlReply", LineBroken },
        { "canonicalization=simple/simple", Receiver.Without8BitMime, "", "" },
        {
            // What the admin had in 2017: Postfix's defaults and Debian's opendkim.conf.
            "disable_mime_output_conversion=no smtp_line_length_limit=998 canonicalization=relaxed/simple",
            Receiver.Without8BitMime, "German8Bit QuotedHtmlReply ViaSendmail", $"{QuotedPrintable}|{LineBroken}"
        },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Settings_back_at_their_defaults_break_exactly_the_documented_cases(string settings, Receiver receiver, string expectedFailures, string cause)
    {
        var pairs = settings.Split(' ').Select(s => s.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var policy = new TestPolicy
        {
            Canonicalization = pairs.GetValueOrDefault("canonicalization"),
            PostfixParameters = pairs.Where(p => p.Key != "canonicalization").ToDictionary(),
        };
        using var flow = MailFlowHarness.Start(policy, receiver);

        var failed = new List<Delivery>();
        foreach (var mailCase in Enum.GetValues<MailCase>())
        {
            var delivery = flow.Deliver(mailCase);
            output.WriteLine($"DKIM {mailCase,-18} receiver {receiver,-18} {settings}: {delivery.Verdict.Detail}");
            if (!delivery.Verdict.Pass)
            {
                failed.Add(delivery);
            }
        }

        Assert.Equal(expectedFailures, string.Join(' ', failed.Select(d => d.Case)));
        Assert.All(failed, d => Assert.Equal("fail: body hash did not verify", d.Verdict.Detail));
        var evidence = flow.Postfix.Log() + string.Concat(failed.Select(d => d.Received.Text));
        Assert.All(cause.Split('|'), c => Assert.Contains(c, evidence, StringComparison.Ordinal));
    }
}
