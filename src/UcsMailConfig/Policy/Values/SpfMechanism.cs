using System.Net;
using System.Net.Sockets;

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
        var body = text.Length > 0 && text[0] is '+' or '-' or '~' or '?' ? text[1..] : text;
        var colon = body.IndexOf(':');
        var nameEnd = body.IndexOfAny([':', '/']);
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var argument = colon < 0 ? null : body[(colon + 1)..];
        var valid = name switch
        {
            "a" or "mx" => argument is null ? body.Length == name.Length || IsDualCidr(body[name.Length..]) : IsDomainWithCidr(argument),
            "ip4" => argument is not null && IsNetwork(argument, AddressFamily.InterNetwork),
            "ip6" => argument is not null && IsNetwork(argument, AddressFamily.InterNetworkV6),
            "include" or "exists" => argument is not null && DomainName.IsValidName(argument, minLabels: 2, allowUnderscore: true),
            _ => false,
        };
        if (!valid)
        {
            return false;
        }

        mechanism = new SpfMechanism(text, QueriesDns: name is "a" or "mx" or "include" or "exists");
        return true;
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

    private static bool IsDomainWithCidr(string argument)
    {
        var slash = argument.IndexOf('/');
        var domain = slash < 0 ? argument : argument[..slash];
        return DomainName.IsValidName(domain, minLabels: 2, allowUnderscore: true) && (slash < 0 || IsDualCidr(argument[slash..]));
    }

    // "/24", "//64" or "/24//64"
    private static bool IsDualCidr(string text)
    {
        var parts = text.Split("//");
        var v4 = parts[0];
        var v6 = parts.Length > 1 ? parts[1] : null;
        return parts.Length <= 2
            && (v4.Length == 0 || (v4.StartsWith('/') && IsPrefix(v4[1..], 32)))
            && (v6 is null || IsPrefix(v6, 128));
    }

    private static bool IsNetwork(string text, AddressFamily family)
    {
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        return IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == family
            && (family == AddressFamily.InterNetworkV6 || address.Count(c => c == '.') == 3)
            && (slash < 0 || IsPrefix(text[(slash + 1)..], family == AddressFamily.InterNetwork ? 32 : 128));
    }

    private static bool IsPrefix(string text, int max) =>
        text.Length is >= 1 and <= 3 && text.All(char.IsAsciiDigit) && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= max;

    public override string ToString() => Text;
}
