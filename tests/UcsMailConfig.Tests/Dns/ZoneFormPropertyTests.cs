using System.Security.Cryptography;
using System.Text;
using CsCheck;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dns;

/// <summary>
/// The zone form and the plain form of one record always say the same thing: every quoted
/// string fits DNS's 255-byte limit, and joined they give exactly the plain value.
/// </summary>
public sealed class ZoneFormPropertyTests
{
    private static readonly DomainName Domain = new("example.com");

    [Fact]
    public void Zone_strings_of_random_keys_fit_255_bytes_and_join_to_the_plain_form()
    {
        // RSA generation is slow (a 4096-bit key takes about a second), so few iterations;
        // the string property below covers lengths far more widely.
        Gen.OneOf(1024, 2048, 4096).Sample(bits =>
        {
            using var rsa = RSA.Create(bits);
            var record = DnsRecordDeriver.Dkim(Domain, new DkimSelector("s1", "/k", SelectorState.Active), DkimPublicKey.FromRsa(rsa).Base64);

            var strings = ZoneForm.Strings(DnsText.Zone([record])).Single();
            var plain = ZoneForm.PlainValues(DnsText.Plain([record])).Single();

            Assert.All(strings, s => Assert.InRange(Encoding.UTF8.GetByteCount(s), 1, 255));
            Assert.Equal(plain, string.Concat(strings));
            Assert.Equal(record.Value, plain);
            Assert.Equal((plain.Length + 254) / 255, strings.Count);
        }, iter: 12, threads: 1);
    }

    [Fact]
    public void Any_text_splits_into_at_most_255_byte_strings_that_join_back()
    {
        var text = Gen.String[Gen.Char['\u0020', '\u00ff'], 0, 1200]
            .Select(Gen.String[Gen.Char['\u0100', '\uffff'], 0, 3], (ascii, wide) => ascii + wide);
        text.Sample(value =>
        {
            var strings = TxtStrings.Split(value);

            Assert.Equal(value, string.Concat(strings));
            Assert.All(strings, s => Assert.True(Encoding.UTF8.GetByteCount(s) <= TxtStrings.MaxBytes));
            Assert.True(strings.Length == 1 || strings.Take(strings.Length - 1).All(s => Encoding.UTF8.GetByteCount(s) > TxtStrings.MaxBytes - 4),
                "a string was cut short of the limit before the last one");
        }, iter: 2000);
    }

    [Fact]
    public void Quotes_and_backslashes_survive_the_zone_form()
    {
        var record = new DnsRecord(Domain, DnsRecordKind.Spf, "example.com", "a \"quoted\" \\ value", "test");

        Assert.Equal(record.Value, ZoneForm.JoinedValues(DnsText.Zone([record])).Single());
    }
}
