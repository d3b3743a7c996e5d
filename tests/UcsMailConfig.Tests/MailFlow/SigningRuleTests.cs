using System.Net;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using Xunit.Abstractions;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// The signing rule (docs/mail-flow.md) on the paths a UCS mail server has, each with and
/// without UCS's content filter: a real Postfix configured by `apply` (mynetworks 127.0.0.0/29,
/// so 127.0.0.2 is the LAN and 127.0.0.10 the internet), submission with SASL through Dovecot's
/// auth service, the stock re-injection listener copied from UCS's 30_antivir
/// (tests/fixtures/stock-ucs/master.cf.d), real amavisd-new as the filter, real OpenDKIM, and
/// MimeKit's DKIM verifier. Every message must arrive; each of ours with exactly one valid
/// signature with d=example.com, the outside client's with none.
/// </summary>
public sealed class SigningRuleTests(ITestOutputHelper output)
{
    private const string Lan = "127.0.0.2";
    private const string Internet = "127.0.0.10";
    private static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(60);

    public enum Path
    {
        LanClient,
        AuthenticatedOutsider,
        Sendmail,
        Localhost,
        OutsiderWithOurFrom,
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Exactly_our_own_mail_is_signed_exactly_once(bool contentFilter)
    {
        using var work = new TempDirectory("signing-rule", MailFlowHarness.SafeParent);
        var submissionPort = Loopback.FreePort();
        var amavisPort = Loopback.FreePort();
        ForegroundDaemon? dovecot = null;
        ForegroundDaemon? amavis = null;
        try
        {
            using var flow = MailFlowHarness.Start(new TestPolicy(), Receiver.Announces8BitMime, (root, postfix) =>
            {
                File.WriteAllText(root["etc/postfix/main.cf.local"], $"""
                    mynetworks = 127.0.0.0/29
                    relay_domains = example.org
                    smtpd_sasl_type = dovecot
                    smtpd_sasl_path = private/auth
                    {(contentFilter ? $"content_filter = smtp-amavis:[127.0.0.1]:{amavisPort}" : "")}
                    """);
                // UCS's submission service, without TLS here (the test has no certificate).
                var services = $"""

                    127.0.0.1:{submissionPort} inet n - y - - smtpd
                      -o syslog_name=postfix/submission
                      -o smtpd_sasl_auth_enable=yes
                      -o smtpd_tls_auth_only=no
                      -o smtpd_client_restrictions=permit_sasl_authenticated,reject
                      -o smtpd_relay_restrictions=permit_sasl_authenticated,reject

                    """;
                if (contentFilter)
                {
                    services += File.ReadAllText(System.IO.Path.Combine(RepoPaths.Root, "tests/fixtures/stock-ucs/master.cf.d/30_antivir.printed"));
                }

                File.AppendAllText(root["etc/postfix/master.cf"], services);

                // As an admin does after editing main.cf.local, before apply reads mynetworks.
                root.Ucr("commit", "/etc/postfix/main.cf");
                dovecot = DovecotAuth.Start(work.Path, postfix.QueueDirectory);
                if (contentFilter)
                {
                    amavis = AmavisFilter.Start(work.Path, amavisPort);
                }
            });

            // apply read Postfix's mynetworks into the hosts OpenDKIM signs for.
            Assert.Contains("127.0.0.0/29", File.ReadAllLines(flow.Root["etc/opendkim/TrustedHosts"]));

            var results = Enum.GetValues<Path>().ToDictionary(path => path, path => Send(flow, path, submissionPort));
            var verifier = flow.Verifier;
            foreach (var (path, received) in results)
            {
                var text = received.Text;
                var signatures = Regex.Matches(text, @"^DKIM-Signature:", RegexOptions.Multiline).Count;
                if (path == Path.OutsiderWithOurFrom)
                {
                    Assert.True(signatures == 0, $"{path}: {signatures} signatures on mail from the internet\n{text}");
                    output.WriteLine($"{path}, content filter {contentFilter}: no signature");
                    continue;
                }

                var verdict = verifier.Verify(received.Data);
                Assert.True(verdict.Pass, $"{path} (content filter {contentFilter}): {verdict.Detail}\n{text}\nmail log:\n{flow.Postfix.Log()}");
                output.WriteLine($"{path}, content filter {contentFilter}: one signature, {verdict.Detail}");
                Assert.Matches(@"(?m)^DKIM-Signature:[^\n]*(\n\s[^\n]*)*\bd=example\.com;", text);
            }

            if (contentFilter)
            {
                // Every message went through amavis and came back on the stock listener.
                Assert.All(results.Values, r => Assert.Contains("(amavis,", r.Text, StringComparison.Ordinal));
                Assert.Contains($"orig_client=unknown[{Internet}]", flow.Postfix.Log(), StringComparison.Ordinal);
            }

            // The evidence docs/mail-flow.md quotes: what OpenDKIM decided for each message, and the re-injection.
            output.WriteLine($"content filter {contentFilter}; OpenDKIM:\n{flow.OpenDkim!.Output}\nmail log:\n{flow.Postfix.Log()}");
        }
        finally
        {
            amavis?.Dispose();
            dovecot?.Dispose();
        }
    }

    private static ReceivedMessage Send(MailFlowHarness flow, Path path, int submissionPort)
    {
        var messageId = $"{path}.{Guid.NewGuid():N}@{TestPolicy.Domain}";
        if (path == Path.Sendmail)
        {
            flow.Postfix.Sendmail(TestMail.SendmailMessage(messageId), MailFlowHarness.Sender, MailFlowHarness.Recipient);
        }
        else
        {
            using var client = new SmtpClient();
            var source = path switch
            {
                Path.LanClient => Lan,
                Path.Localhost => "127.0.0.1",
                _ => Internet,
            };
            client.LocalEndPoint = new IPEndPoint(IPAddress.Parse(source), 0);
            var port = path == Path.AuthenticatedOutsider ? submissionPort : flow.Postfix.SmtpPort;
            client.Connect("127.0.0.1", port, SecureSocketOptions.None);
            if (path == Path.AuthenticatedOutsider)
            {
                client.Authenticate(DovecotAuth.User, DovecotAuth.Password);
            }

            client.Send(TestMail.Build(MailCase.PlainAscii, messageId));
            client.Disconnect(quit: true);
        }

        return Poll.Until(() => flow.Sink.Find(messageId), DeliveryLimit, () => $"{messageId} at the receiver; mail log:\n{flow.Postfix.Log()}");
    }
}
