using System.Text.RegularExpressions;
using UcsMailConfig.Diagnostics;
using Xunit.Abstractions;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// Two mail servers configured by `apply` with the policy's defaults: one relaying to a
/// receiver that announces 8BITMIME, one to a receiver that does not. Started once for the
/// whole matrix; stopped, with their ports freed, when the class is done.
/// </summary>
public sealed class DefaultPolicyFlows : IDisposable
{
    private readonly Dictionary<Receiver, MailFlowHarness> _flows = [];

    public DefaultPolicyFlows()
    {
        try
        {
            foreach (var receiver in new[] { Receiver.Announces8BitMime, Receiver.Without8BitMime })
            {
                _flows[receiver] = MailFlowHarness.Start(new TestPolicy(), receiver);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public MailFlowHarness this[Receiver receiver] => _flows[receiver];

    public void Dispose()
    {
        foreach (var flow in _flows.Values)
        {
            flow.Dispose();
        }
    }
}

/// <summary>
/// The acceptance matrix: with the policy's defaults, every kind of message leaves Postfix
/// with a DKIM signature that an independent verifier (MimeKit) accepts, using the key from
/// the DNS record the tool prints, whether or not the receiver announces 8BITMIME. Each hard
/// case also shows that it still is one at the receiver (the long line is still there, the
/// 8-bit text is still 8-bit), so a pass cannot come from a message that lost its difficulty.
/// </summary>
public sealed class DkimSurvivesDeliveryTests(DefaultPolicyFlows flows, ITestOutputHelper output) : IClassFixture<DefaultPolicyFlows>
{
    public static TheoryData<Receiver, MailCase> Matrix()
    {
        var data = new TheoryData<Receiver, MailCase>();
        foreach (var receiver in new[] { Receiver.Announces8BitMime, Receiver.Without8BitMime })
        {
            foreach (var mailCase in Enum.GetValues<MailCase>())
            {
                data.Add(receiver, mailCase);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Signed_mail_verifies_at_the_receiver(Receiver receiver, MailCase mailCase)
    {
        var delivery = flows[receiver].Deliver(mailCase);

        output.WriteLine($"DKIM {mailCase,-18} receiver {receiver,-18} policy defaults: {delivery.Verdict.Detail}");
        Assert.True(delivery.Verdict.Pass, $"{delivery.Verdict.Detail}\nas received:\n{delivery.Received.Text}");
        var text = delivery.Received.Text;
        switch (mailCase)
        {
            case MailCase.QuotedHtmlReply:
                Assert.Contains(text.Split("\r\n"), line => line.Length > 998);
                break;
            case MailCase.German8Bit or MailCase.ViaSendmail:
                Assert.Contains("Content-Transfer-Encoding: 8bit", text, StringComparison.Ordinal);
                Assert.Contains(delivery.Received.Data, b => b >= 0x80);
                break;
            case MailCase.LongFoldedSubject:
                Assert.Matches(new Regex(@"^Subject: .*\r\n[ \t]+\S.*\r\n[ \t]+\S", RegexOptions.Multiline), text);
                break;
            case MailCase.Base64Attachment:
                Assert.Contains("Content-Transfer-Encoding: base64", text, StringComparison.Ordinal);
                break;
        }
    }
}
