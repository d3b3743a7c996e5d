using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// One term of an SPF record (RFC 7208) before the final <c>all</c>: <c>mx</c>, <c>a</c>,
/// <c>ip4:</c>, <c>ip6:</c>, <c>include:</c>, <c>exists:</c>, optionally with a qualifier
/// (<c>+ - ~ ?</c>) and, for a/mx, a domain and CIDR length.
/// </summary>
public sealed record SpfMechanism(string Text, bool QueriesDns)
{
    public const string Expectation = "mx, a, mx:DOMAIN, a:DOMAIN, ip4:ADDRESS[/LEN], ip6:ADDRESS[/LEN], include:DOMAIN or exists:DOMAIN, optionally prefixed by + - ~ ?; 'all' has its own key";

    public static bool TryParse(string text, out SpfMechanism mechanism)
    {
        mechanism = null!;
        if (!IsValid(text, out var queriesDns))
        {
            return false;
        }

        mechanism = new SpfMechanism(text, queriesDns);
        return true;
    }

    /// <summary>True when <see cref="TryParse"/> would accept the text; allocates nothing.</summary>
    public static bool IsValid(string text) => IsValid(text, out _);

    // Spans throughout: every mechanism of a large policy passes here twice (shape check, binder).
    private static bool IsValid(string text, out bool queriesDns)
    {
        var body = text.AsSpan(text.Length > 0 && text[0] is '+' or '-' or '~' or '?' ? 1 : 0);
        var colon = body.IndexOf(':');
        var nameEnd = body.IndexOfAny(':', '/');
        var nameText = nameEnd < 0 ? body : body[..nameEnd];

        // Invariant lower case, as before; no name we know is longer than 7 characters.
        Span<char> lower = stackalloc char[7];
        var name = nameText.Length <= lower.Length ? lower[..nameText.ToLowerInvariant(lower)] : [];
        var argument = colon < 0 ? default : body[(colon + 1)..];
        var valid = name switch
        {
            "a" or "mx" => colon < 0 ? body.Length == name.Length || IsDualCidr(body[name.Length..]) : IsDomainWithCidr(argument),
            "ip4" => colon >= 0 && IsNetwork(argument, AddressFamily.InterNetwork),
            "ip6" => colon >= 0 && IsNetwork(argument, AddressFamily.InterNetworkV6),
            "include" or "exists" => colon >= 0 && DomainName.IsValidName(argument, minLabels: 2, allowUnderscore: true),
            _ => false,
        };
        queriesDns = name is "a" or "mx" or "include" or "exists";
        return valid;
    }

    /// <summary>
    /// True for a whole SPF record (<c>v=spf1 ...</c>) pasted into the mechanism list: the
    /// record's version tag is written once, by us, so it may not appear among the mechanisms.
    /// </summary>
    public static bool IsRecordText(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>True for an <c>all</c> term (<c>-all</c>, <c>~all</c>, ...): it has its own policy key.</summary>
    public static bool IsAllTerm(string text) =>
        string.Equals(text.Length > 0 && text[0] is '+' or '-' or '~' or '?' ? text[1..] : text, "all", StringComparison.OrdinalIgnoreCase);

    private static bool IsDomainWithCidr(ReadOnlySpan<char> argument)
    {
        var slash = argument.IndexOf('/');
        var domain = slash < 0 ? argument : argument[..slash];
        return DomainName.IsValidName(domain, minLabels: 2, allowUnderscore: true) && (slash < 0 || IsDualCidr(argument[slash..]));
    }

    // "/24", "//64" or "/24//64"
    private static bool IsDualCidr(ReadOnlySpan<char> text)
    {
        var split = text.IndexOf("//", StringComparison.Ordinal);
        var v4 = split < 0 ? text : text[..split];
        var v6 = split < 0 ? default : text[(split + 2)..];
        return (split < 0 || v6.IndexOf("//", StringComparison.Ordinal) < 0)
            && (v4.Length == 0 || (v4.StartsWith('/') && IsPrefix(v4[1..], 32)))
            && (split < 0 || IsPrefix(v6, 128));
    }

    private static bool IsNetwork(ReadOnlySpan<char> text, AddressFamily family)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        return IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == family
            && (family == AddressFamily.InterNetworkV6 || address.Count('.') == 3)
            && (slash < 0 || IsPrefix(text[(slash + 1)..], family == AddressFamily.InterNetwork ? 32 : 128));
    }

    private static bool IsPrefix(ReadOnlySpan<char> text, int max) =>
        text.Length is >= 1 and <= 3 && !text.ContainsAnyExceptInRange('0', '9') && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= max;

    public override string ToString() => Text;
}
