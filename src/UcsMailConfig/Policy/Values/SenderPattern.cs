using UcsMailConfig.Diagnostics;
namespace UcsMailConfig.Policy.Values;

/// <summary>
/// The left column of OpenDKIM's SigningTable (with <c>refile:</c>): which senders a key
/// signs for. <c>*@example.com</c>, <c>news@example.com</c>, or <c>*@*.example.com</c> for
/// every subdomain. A pattern without a concrete domain (<c>*@*</c>) is a catch-all.
/// </summary>
public sealed record SenderPattern(string LocalPart, DomainName Domain, bool AnySubdomain)
{
    public const string Expectation = "*@DOMAIN, LOCALPART@DOMAIN or *@*.DOMAIN, e.g. *@example.com";

    public string Text => $"{LocalPart}@{(AnySubdomain ? "*." : "")}{Domain}";

    /// <summary>True for patterns that would sign mail of any domain.</summary>
    public static bool IsCatchAll(string text)
    {
        var at = text.LastIndexOf('@');
        var domain = at < 0 ? text : text[(at + 1)..];
        return domain.Length == 0 || domain.Trim('*', '.').Length == 0;
    }

    public static bool TryParse(string text, out SenderPattern pattern)
    {
        pattern = null!;
        var at = text.LastIndexOf('@');
        if (at <= 0)
        {
            return false;
        }

        var local = text[..at];
        var domainText = text[(at + 1)..];
        var anySubdomain = domainText.StartsWith("*.", StringComparison.Ordinal);
        if (anySubdomain)
        {
            domainText = domainText[2..];
        }

        if (!(local == "*" || local.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+'))
            || local.Length > 64
            || !DomainName.TryParse(domainText, out var domain))
        {
            return false;
        }

        pattern = new SenderPattern(local == "*" ? "*" : local.ToLowerInvariant(), domain, anySubdomain);
        return true;
    }

    /// <summary>Whether mail from this pattern belongs to <paramref name="domain"/> or one of its subdomains.</summary>
    public bool IsWithin(DomainName domain) =>
        Domain == domain || Domain.Value.EndsWith("." + domain.Value, StringComparison.Ordinal);
}
