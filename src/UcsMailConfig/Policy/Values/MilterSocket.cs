using System.Globalization;
using System.Net;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// Where a milter listens, written once in the policy and translated for each side:
/// TCP as <c>HOST:PORT</c> (or <c>[IPv6]:PORT</c>), a UNIX socket as an absolute path.
/// Postfix's own forms <c>inet:HOST:PORT</c> and <c>unix:/PATH</c> are accepted too.
/// </summary>
public abstract record MilterSocket
{
    /// <summary>Postfix's queue directory on Debian and UCS, where smtpd and cleanup are chrooted.</summary>
    public const string PostfixChroot = "/var/spool/postfix/";

    public const string Expectation = "HOST:PORT (e.g. localhost:12345, 127.0.0.1:8891, [::1]:8891) or the absolute path of a UNIX socket (e.g. /var/spool/postfix/opendkim/opendkim.sock)";

    public static bool TryParse(string text, out MilterSocket socket)
    {
        socket = null!;
        if (text.StartsWith("inet:", StringComparison.Ordinal))
        {
            text = text["inet:".Length..];
        }
        else if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            text = text["unix:".Length..];
            if (!text.StartsWith('/'))
            {
                return false;
            }
        }

        if (text.StartsWith('/'))
        {
            if (!FilePath.IsSafeAbsolute(text))
            {
                return false;
            }

            socket = new UnixMilterSocket(text);
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            socket = new TcpMilterSocket(v6.ToString(), port, TcpHostKind.IPv6);
            return true;
        }

        if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && host.Count(c => c == '.') == 3)
        {
            socket = new TcpMilterSocket(v4.ToString(), port, TcpHostKind.IPv4);
            return true;
        }

        if (!DomainName.IsValidName(host, minLabels: 1))
        {
            return false;
        }

        socket = new TcpMilterSocket(host.ToLowerInvariant(), port, TcpHostKind.Name);
        return true;
    }
}

/// <summary>A TCP milter socket; <see cref="Host"/> is a name or an address without brackets.</summary>
internal sealed record TcpMilterSocket(string Host, int Port, TcpHostKind Kind) : MilterSocket;

internal enum TcpHostKind
{
    Name,
    IPv4,
    IPv6,
}

/// <summary>A UNIX-domain milter socket at an absolute path as the milter itself sees it.</summary>
internal sealed record UnixMilterSocket(string Path) : MilterSocket;
