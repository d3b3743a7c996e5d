namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A DKIM selector: one or more DNS labels that stand before <c>._domainkey.DOMAIN</c>.
/// Date-named selectors such as <c>03122017</c> or <c>20261128</c> are common and valid.
/// </summary>
public static class DkimSelectorName
{
    public const string Expectation = "one or more DNS labels of letters, digits and '-' (1-63 characters each), e.g. 20261128 or mail-2026";

    private static readonly System.Buffers.SearchValues<char> LabelCharacters =
        System.Buffers.SearchValues.Create("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Where a selector's private key lives unless the policy names another file.</summary>
    public static string DefaultKeyPath(DomainName domain, string selector) => $"/etc/opendkim/keys/{domain}/{selector}.private";

    public static bool IsValid(string text)
    {
        if (text.Length is 0 or > 63 * 2)
        {
            return false;
        }

        // Spans, not string.Split: every selector of a policy passes here twice.
        foreach (var range in text.AsSpan().Split('.'))
        {
            var label = text.AsSpan()[range];
            if (label.Length is < 1 or > 63 || label[0] == '-' || label[^1] == '-' || label.ContainsAnyExcept(LabelCharacters))
            {
                return false;
            }
        }

        return true;
    }
}
