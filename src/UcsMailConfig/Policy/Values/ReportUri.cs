namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A DMARC aggregate/forensic report address (RFC 7489 6.2): a <c>mailto:</c> URI, optionally
/// with a size limit such as <c>!10m</c>. Commas and semicolons would break the record.
/// </summary>
internal static class ReportUri
{
    public const string Expectation = "a mailto: URI such as mailto:dmarc-reports@example.com (optionally with a size limit, mailto:dmarc@example.com!10m)";

    private static readonly System.Buffers.SearchValues<char> LocalPartCharacters =
        System.Buffers.SearchValues.Create(".+-_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // Spans, not substrings: every rua and ruf address of a policy passes here twice.
    public static bool IsValid(string text)
    {
        if (!text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var address = text.AsSpan("mailto:".Length);
        var bang = address.IndexOf('!');
        if (bang >= 0)
        {
            var limit = address[(bang + 1)..];
            var number = limit.TrimEnd("kmgt");
            if (limit.Length < 1 || number.ContainsAnyExceptInRange('0', '9') || number.Length == 0)
            {
                return false;
            }

            address = address[..bang];
        }

        var at = address.LastIndexOf('@');
        return at > 0
            && !address[..at].ContainsAnyExcept(LocalPartCharacters)
            && DomainName.IsValidName(address[(at + 1)..], minLabels: 2);
    }
}
