using System.Globalization;
using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// A lookup key of Postfix's smtp_tls_policy_maps: the next-hop destination as Postfix looks
/// it up (TLS_README, "TLS policy table"): a domain (its MX hosts), <c>.domain</c> (every
/// subdomain), <c>[host]</c> (that host, no MX lookup), an address in brackets, each optionally
/// with <c>:port</c>. Stored in lower case, as postmap folds keys. <see cref="IsDnsName"/> is
/// false for address literals, which have no DNS name to publish TLSA records under.
/// </summary>
public sealed record TlsDestination(string Text, bool IsDnsName)
{
    public const string Expectation = "a next-hop destination as Postfix looks it up: example.com (its MX hosts), .example.com (its subdomains), [mail.example.com] (that host, no MX lookup), [192.0.2.25] or [2001:db8::25], each optionally with :PORT, e.g. [relay.example.net]:587";

    public static bool TryParse(string text, out TlsDestination destination)
    {
        destination = null!;
        var (host, port) = SplitPort(text);
        if (port is not null && !IsPort(port))
        {
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']') && host.Length > 2)
        {
            var inner = host[1..^1];
            if (IPAddress.TryParse(inner, out var address) && LooksLikeAddress(inner, address))
            {
                destination = new TlsDestination($"[{address}]{Suffix(port)}", IsDnsName: false);
                return true;
            }

            if (DomainName.IsValidName(inner, minLabels: 1))
            {
                destination = new TlsDestination($"[{inner.ToLowerInvariant()}]{Suffix(port)}", IsDnsName: true);
                return true;
            }

            return false;
        }

        // A subdomain pattern is a lookup of the recipient domain's parents; Postfix never adds a port to it.
        var subdomains = host.StartsWith('.');
        var name = subdomains ? host[1..] : host;
        if ((subdomains && port is not null) || !DomainName.IsValidName(name, minLabels: 2))
        {
            return false;
        }

        destination = new TlsDestination(host.ToLowerInvariant() + Suffix(port), IsDnsName: true);
        return true;
    }

    public override string ToString() => Text;

    // "[2001:db8::1]:25" has colons inside the brackets; only a colon after ']' or in a bare name starts a port.
    private static (string Host, string? Port) SplitPort(string text)
    {
        var close = text.LastIndexOf(']');
        var colon = text.LastIndexOf(':');
        return colon > close && (close >= 0 || !text.StartsWith('[')) ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }

    private static bool IsPort(string text) =>
        text.Length is >= 1 and <= 5 && text.All(char.IsAsciiDigit)
        && int.Parse(text, CultureInfo.InvariantCulture) is >= 1 and <= 65535;

    private static string Suffix(string? port) => port is null ? "" : ":" + int.Parse(port, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    // IPAddress.TryParse accepts "1" or "10.1" as IPv4 shorthand; a destination should not.
    private static bool LooksLikeAddress(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') && !text.Contains('%') : text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.');
}
