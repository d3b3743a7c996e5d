using Xunit.Abstractions;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The evidence behind the policy's defaults (docs/mail-flow.md): the same harness and matrix
/// with one setting put back to what Postfix or OpenDKIM would do on their own. Each row
/// sends every case and must fail exactly the cases documented for it; a row that fails
/// nothing shows that a suspected setting does not break this path. This also proves the
/// harness can see a broken signature.
/// </summary>
public sealed class BreakingSettingsTests(ITestOutputHelper output)
{
    public static TheoryData<string, Receiver, string> Rows() => new()
    {
        { "disable_mime_output_conversion=no", Receiver.Without8BitMime, "German8Bit ViaSendmail" },
        { "disable_mime_output_conversion=no", Receiver.Announces8BitMime, "" },
        { "smtp_line_length_limit=998", Receiver.Announces8BitMime, "QuotedHtmlReply" },
        { "canonicalization=simple/simple", Receiver.Without8BitMime, "" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void One_setting_back_at_its_default_breaks_exactly_the_documented_cases(string setting, Receiver receiver, string expectedFailures)
    {
        var (name, value) = (setting.Split('=')[0], setting.Split('=')[1]);
        var policy = name == "canonicalization"
            ? new TestPolicy { Canonicalization = value }
            : new TestPolicy { PostfixParameters = new Dictionary<string, string> { [name] = value } };
        using var flow = MailFlowHarness.Start(policy, receiver);

        var failed = new List<string>();
        foreach (var mailCase in Enum.GetValues<MailCase>())
        {
            var verdict = flow.Deliver(mailCase).Verdict;
            output.WriteLine($"DKIM {mailCase,-18} receiver {receiver,-18} {setting}: {verdict.Detail}");
            if (!verdict.Pass)
            {
                failed.Add(mailCase.ToString());
            }
        }

        Assert.Equal(expectedFailures, string.Join(' ', failed));
    }
}
