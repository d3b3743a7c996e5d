using System.Text;
using MimeKit;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>The message matrix: each case is a kind of mail that real users send.</summary>
public enum MailCase
{
    /// <summary>Short ASCII text.</summary>
    PlainAscii,

    /// <summary>German text with umlauts, sent as 8-bit UTF-8 (Content-Transfer-Encoding: 8bit).</summary>
    German8Bit,

    /// <summary>A reply quoting an HTML newsletter; the quoted HTML has a 1,600-character line, sent as it was written.</summary>
    QuotedHtmlReply,

    /// <summary>Text plus a binary attachment in base64.</summary>
    Base64Attachment,

    /// <summary>A Subject of about 500 characters, folded over several lines.</summary>
    LongFoldedSubject,

    /// <summary>8-bit German text with LF line ends, handed to the sendmail command like a cron job or web application does.</summary>
    ViaSendmail,
}

/// <summary>Builds the matrix messages, each with a given Message-ID so it can be found at the receiver.</summary>
public static class TestMail
{
    public static MimeMessage Build(MailCase mailCase, string messageId)
    {
        var message = new MimeMessage
        {
            MessageId = messageId,
            Date = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(1)),
            Subject = "Quarterly figures",
        };
        message.From.Add(new MailboxAddress("Alice Example", MailFlowHarness.Sender));
        message.To.Add(new MailboxAddress("Bob Example", MailFlowHarness.Recipient));
        switch (mailCase)
        {
            case MailCase.PlainAscii:
                message.Body = new TextPart("plain") { Text = "Hello Bob,\n\nthe quarterly figures are ready.\n\nAlice\n" };
                break;
            case MailCase.German8Bit:
                message.Subject = "Grüße aus München";
                message.Body = Utf8Text(new TextPart("plain"), ContentEncoding.EightBit,
                    "Sehr geehrte Damen und Herren,\n\nanbei die Übersicht für März: Gebühren, Zuschüsse und Rückstellungen.\nÄnderungen bitte bis Größe, Maß und Öffnungszeiten geklärt sind.\n\nMit freundlichen Grüßen\nAlice Müller\n");
                break;
            case MailCase.QuotedHtmlReply:
                message.Subject = "Re: Newsletter November";
                message.InReplyTo = "newsletter-2026-11@lists.example.net";
                message.Body = new MultipartAlternative
                {
                    new TextPart("plain") { Text = "Thanks, see below.\n\n> Newsletter November\n> Our offers this month ...\n" },
                    Utf8Text(new AsWrittenTextPart("html"), ContentEncoding.SevenBit,
                        "<html><body><p>Thanks, see below.</p>\n<blockquote>\n" + NewsletterRow() + "\n</blockquote>\n</body></html>\n"),
                };
                break;
            case MailCase.Base64Attachment:
                var attachment = new byte[24 * 1024];
                new Random(20261128).NextBytes(attachment);
                message.Body = new Multipart("mixed")
                {
                    new TextPart("plain") { Text = "The report is attached.\n" },
                    new MimePart("application", "pdf")
                    {
                        Content = new MimeContent(new MemoryStream(attachment)),
                        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                        ContentTransferEncoding = ContentEncoding.Base64,
                        FileName = "report.pdf",
                    },
                };
                break;
            case MailCase.LongFoldedSubject:
                message.Subject = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"item{i:00}-minutes"))
                    + " of the board meeting on 28 November with all decisions and follow-ups";
                message.Body = new TextPart("plain") { Text = "Minutes attached in the subject, as usual.\n" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mailCase), mailCase, "sent with the sendmail command, see SendmailMessage");
        }

        return message;
    }

    /// <summary>What a cron job or web application pipes into sendmail: LF line ends, 8-bit UTF-8 body.</summary>
    public static byte[] SendmailMessage(string messageId) => Encoding.UTF8.GetBytes($"""
        From: Backup Job <{MailFlowHarness.Sender}>
        To: {MailFlowHarness.Recipient}
        Subject: Nightly backup report
        Message-ID: <{messageId}>
        Date: Sat, 28 Nov 2026 03:00:00 +0100
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Sicherung abgeschlossen: 42 Dateien, Prüfsumme in Ordnung.
        Nächster Lauf: Sonntag, 03:00 Uhr.

        """.ReplaceLineEndings("\n"));

    // An HTML newsletter's product table, one row per line as generators write it: well over
    // the 998 characters SMTP allows per line.
    private static string NewsletterRow() =>
        "<table><tr>" + string.Concat(Enumerable.Range(1, 18).Select(i =>
            $"<td class=\"offer\"><a href=\"https://shop.example.net/p/{i}\">Angebot {i}: M&uuml;sli</a></td>")) + "</tr></table>";

    private static TextPart Utf8Text(TextPart part, ContentEncoding encoding, string text)
    {
        part.ContentTransferEncoding = encoding;
        part.SetText(Encoding.UTF8, text);
        return part;
    }

    // MailKit re-encodes a part with lines over 998 characters before sending (MimeEntity.Prepare);
    // many mail programs do not, and those long lines are what the case is about.
    private sealed class AsWrittenTextPart(string subtype) : TextPart(subtype)
    {
        public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
        {
        }
    }
}
