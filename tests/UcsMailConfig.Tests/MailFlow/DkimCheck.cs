using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace UcsMailConfig.Tests.MailFlow;

/// <summary>
/// Checks a delivered message the way a receiving server does, independently of OpenDKIM:
/// MimeKit's DkimVerifier, with public keys looked up in the TXT records that the tool tells
/// the admin to publish (record name → value, e.g. "sel._domainkey.example.com" →
/// "v=DKIM1; k=rsa; p=..."). A message passes when it has exactly one DKIM-Signature and that
/// signature verifies. A failure says whether the body hash already differs, which is what
/// receivers report as "body hash did not verify".
/// </summary>
public sealed class DkimCheck(IReadOnlyDictionary<string, string> txtRecords)
{
    public DkimVerdict Verify(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        var message = MimeMessage.Load(stream);
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToList();
        if (signatures.Count != 1)
        {
            return new DkimVerdict(false, $"{signatures.Count} DKIM-Signature headers, expected exactly 1");
        }

        var verifier = new Verifier(new PublishedRecords(txtRecords));
        if (verifier.Verify(message, signatures[0]))
        {
            return new DkimVerdict(true, "pass");
        }

        return new DkimVerdict(false, verifier.BodyHashMatches(message, signatures[0])
            ? "fail: the body hash matches, the header signature does not verify"
            : "fail: body hash did not verify");
    }

    private sealed class Verifier(IDkimPublicKeyLocator locator) : DkimVerifier(locator)
    {
        /// <summary>The body-hash half of <see cref="DkimVerifier.Verify(MimeMessage, Header, CancellationToken)"/>, for the failure message.</summary>
        public bool BodyHashMatches(MimeMessage message, Header signature)
        {
            var tags = signature.Value.Split(';')
                .Select(tag => tag.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0].Trim(), pair => Regex.Replace(pair[1], @"\s+", ""));
            Assert.Equal("rsa-sha256", tags["a"]);
            var body = tags.GetValueOrDefault("c", "simple").EndsWith("/relaxed", StringComparison.Ordinal)
                ? DkimCanonicalizationAlgorithm.Relaxed
                : DkimCanonicalizationAlgorithm.Simple;
            var options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            var length = tags.TryGetValue("l", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : -1;
            return VerifyBodyHash(options, message, DkimSignatureAlgorithm.RsaSha256, body, length, tags["bh"]);
        }
    }

    private sealed class PublishedRecords(IReadOnlyDictionary<string, string> records) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            records.TryGetValue($"{selector}._domainkey.{domain}", out var txt)
                ? GetPublicKey(txt)
                : throw new KeyNotFoundException($"no published TXT record {selector}._domainkey.{domain}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}

/// <summary>Whether a message's DKIM signature verified, and in words why not.</summary>
public sealed record DkimVerdict(bool Pass, string Detail);
