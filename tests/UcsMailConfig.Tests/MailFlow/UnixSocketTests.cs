namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// OpenDKIM on a UNIX socket inside Postfix's chroot (the queue directory), as in the
/// multi-domain example: Postfix names it relative to the chroot (unix:opendkim/opendkim.sock),
/// OpenDKIM by its full path. Mail over SMTP (smtpd runs chrooted) and through sendmail
/// (cleanup) reaches OpenDKIM and verifies at the receiver. Postfix's daemons connect as user
/// postfix to a socket that OpenDKIM creates as opendkim with UMask 007, so postfix must be in
/// the opendkim group (.ci/test-all does what the admin must: adduser postfix opendkim);
/// without it Postfix logs "Permission denied" and, with milter_default_action = accept,
/// delivers the mail unsigned.
/// </summary>
public sealed class UnixSocketTests
{
    [Fact]
    public void Mail_is_signed_through_the_chroot_relative_unix_socket()
    {
        using var flow = MailFlowHarness.Start(new TestPolicy { UnixSocket = "/var/spool/postfix/opendkim/opendkim.sock" }, Receiver.Announces8BitMime);

        var deliveries = new[] { MailCase.PlainAscii, MailCase.ViaSendmail }.Select(flow.Deliver).ToList();

        Assert.Contains("\nsmtpd_milters = unix:opendkim/opendkim.sock\n", File.ReadAllText(flow.Root["etc/postfix/main.cf"]), StringComparison.Ordinal);
        Assert.All(deliveries, d => Assert.True(d.Verdict.Pass, $"{d.Case}: {d.Verdict.Detail}\nmail log:\n{flow.Postfix.Log()}"));
    }
}
