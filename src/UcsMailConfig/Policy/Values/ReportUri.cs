namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A DMARC aggregate/forensic report address (RFC 7489 6.2): a <c>mailto:</c> URI, optionally
/// with a size limit such as <c>!10m</c>. Commas and semicolons would break the record.
/// </summary>
public static class ReportUri
{
    public const string Expectation = "a mailto: URI such as mailto:dmarc-reports@example.com (optionally with a size limit, mailto:dmarc@example.com!10m)";

    public static bool IsValid(string text)
    {
        if (!text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var address = text["mailto:".Length..];
        var bang = address.IndexOf('!');
        if (bang >= 0)
        {
            var limit = address[(bang + 1)..];
            if (limit.Length < 1 || !limit.TrimEnd('k', 'm', 'g', 't').All(char.IsAsciiDigit) || limit.TrimEnd('k', 'm', 'g', 't').Length == 0)
            {
                return false;
            }

            address = address[..bang];
        }

        var at = address.LastIndexOf('@');
        return at > 0
            && address[..at].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+')
            && DomainName.IsValidName(address[(at + 1)..], minLabels: 2);
    }
}
