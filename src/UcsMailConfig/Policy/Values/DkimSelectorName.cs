namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A DKIM selector: one or more DNS labels that stand before <c>._domainkey.DOMAIN</c>.
/// Date-named selectors such as <c>03122017</c> or <c>20261128</c> are common and valid.
/// </summary>
public static class DkimSelectorName
{
    public const string Expectation = "one or more DNS labels of letters, digits and '-' (1-63 characters each), e.g. 20261128 or mail-2026";

    /// <summary>Where a selector's private key lives unless the policy names another file.</summary>
    public static string DefaultKeyPath(string keyFolder, DomainName domain, string selector) => $"{keyFolder}/{domain}/{selector}.private";

    public static bool IsValid(string text)
    {
        if (text.Length is 0 or > 63 * 2)
        {
            return false;
        }

        // Spans, not string.Split: every selector of a policy passes here twice.
        foreach (var range in text.AsSpan().Split('.'))
        {
            if (!DomainName.IsValidLabel(text.AsSpan()[range], allowUnderscore: false))
            {
                return false;
            }
        }

        return true;
    }
}
