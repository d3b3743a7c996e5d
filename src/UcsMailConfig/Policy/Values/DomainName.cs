namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A fully qualified DNS domain name in ASCII (IDNs in their xn-- form), stored in lower case.
/// At least two labels: a mail domain is never a bare host name.
/// </summary>
public sealed record DomainName(string Value) : IComparable<DomainName>
{
    public const string Expectation = "a fully qualified domain name such as example.com (letters, digits and '-', labels of 1-63 characters, no trailing dot; internationalised names in xn-- form)";

    /// <summary>The most characters a DNS name has (RFC 1035, written without the final dot).</summary>
    public const int MaxLength = 253;

    /// <summary>The name of a DKIM selector's TXT record below this domain.</summary>
    public string DkimRecordName(string selector) => $"{selector}._domainkey.{Value}";

    /// <summary>The name of this domain's DMARC TXT record.</summary>
    public string DmarcRecordName => $"_dmarc.{Value}";

    public static bool TryParse(string text, out DomainName domain)
    {
        domain = null!;
        if (!IsValidName(text, minLabels: 2))
        {
            return false;
        }

        domain = new DomainName(text.ToLowerInvariant());
        return true;
    }

    /// <summary>
    /// True for a DNS name made of letter-digit-hyphen labels. Service names such as
    /// <c>_spf.example.com</c> need <paramref name="allowUnderscore"/>; host and mail domains do not.
    /// </summary>
    internal static bool IsValidName(ReadOnlySpan<char> text, int minLabels, bool allowUnderscore = false)
    {
        if (text.Length is 0 or > MaxLength)
        {
            return false;
        }

        // Spans, not string.Split: every domain of a policy passes here twice.
        var labels = 0;
        var last = ReadOnlySpan<char>.Empty;
        foreach (var range in text.Split('.'))
        {
            last = text[range];
            if (!IsValidLabel(last, allowUnderscore))
            {
                return false;
            }

            labels++;
        }

        return labels >= minLabels
            && last.ContainsAnyExceptInRange('0', '9'); // a numeric last label is an IP address, not a name
    }

    /// <summary>One letter-digit-hyphen label of 1-63 characters, not starting or ending with '-' (selectors are such labels too).</summary>
    internal static bool IsValidLabel(ReadOnlySpan<char> label, bool allowUnderscore)
    {
        if (label.Length is < 1 or > 63 || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (allowUnderscore && c == '_')))
            {
                return false;
            }
        }

        return true;
    }

    public int CompareTo(DomainName? other) => string.CompareOrdinal(Value, other?.Value);

    public override string ToString() => Value;
}
