using System.Globalization;
using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Diagnostics;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// An entry of OpenDKIM's TrustedHosts/InternalHosts: an IP address, a network in CIDR
/// notation, or a host name. Networks are normalised (<c>10.1.2.3/8</c> is rejected:
/// host bits set usually means a typo).
/// </summary>
public sealed record HostPattern(string Text)
{
    /// <summary>Local submission (sendmail, webmail on this host): always this server's own mail.</summary>
    public static readonly System.Collections.Immutable.ImmutableArray<HostPattern> Loopback = [new("127.0.0.1"), new("::1")];

    public const string Expectation = "an IP address (127.0.0.1, ::1), a network in CIDR form (10.0.0.0/8, fd00::/8) or a host name (mail.example.com)";

    public static bool TryParse(string text, out HostPattern pattern)
    {
        pattern = null!;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            if (IPAddress.TryParse(text, out var address) && LooksLikeAddress(text, address))
            {
                pattern = new HostPattern(address.ToString());
                return true;
            }

            if (DomainName.IsValidName(text, minLabels: 1))
            {
                pattern = new HostPattern(text.ToLowerInvariant());
                return true;
            }

            return false;
        }

        var prefixText = text[(slash + 1)..];
        if (!IPAddress.TryParse(text[..slash], out var network) || !LooksLikeAddress(text[..slash], network)
            || prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit))
        {
            return false;
        }

        var prefix = int.Parse(prefixText, CultureInfo.InvariantCulture);
        var bits = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > bits || !HostBitsAreZero(network.GetAddressBytes(), prefix))
        {
            return false;
        }

        pattern = new HostPattern($"{network}/{prefix}");
        return true;
    }

    // IPAddress.TryParse accepts "1" or "10.1" as IPv4 shorthand; a policy should not.
    private static bool LooksLikeAddress(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') && !text.Contains('%') : text.Count(c => c == '.') == 3;

    private static bool HostBitsAreZero(byte[] bytes, int prefix)
    {
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
