using System.Globalization;
using System.Net;

namespace UcsMailConfig.Dns;

/// <summary>A DNS server as the admin writes it: <c>IP</c>, <c>IP:PORT</c> or <c>[IPv6]:PORT</c>; the port defaults to 53.</summary>
public static class DnsServerAddress
{
    public const string Expectation = "an IP address with an optional port: 192.0.2.53, 127.0.0.1:5353, ::1 or [::1]:5353";

    public static bool TryParse(string text, out IPEndPoint server)
    {
        server = null!;
        var host = text;
        var port = 53;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return false;
            }

            host = text[1..close];
            if (close + 1 < text.Length && !TryPort(text[(close + 2)..], out port))
            {
                return false;
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            host = text[..text.IndexOf(':', StringComparison.Ordinal)];
            if (!TryPort(text[(host.Length + 1)..], out port))
            {
                return false;
            }
        }

        // IPAddress.TryParse takes "1" for 0.0.0.1; a DNS server is written in full.
        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        {
            return false;
        }

        server = new IPEndPoint(address, port);
        return true;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
