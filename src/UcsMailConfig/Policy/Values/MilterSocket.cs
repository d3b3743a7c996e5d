using System.Globalization;
using System.Net;

namespace UcsMailConfig.Policy.Values;

/// <summary>
/// Where a milter listens, written once in the policy and translated for each side:
/// TCP as <c>HOST:PORT</c> (or <c>[IPv6]:PORT</c>), a UNIX socket as an absolute path.
/// Each program's own syntax is accepted too, as an admin copies it from main.cf or
/// /etc/default/opendkim: Postfix's <c>inet:HOST:PORT</c> and <c>unix:/PATH</c>, OpenDKIM's
/// <c>inet:PORT@HOST</c>, <c>inet:PORT@[IPv4]</c>, <c>inet6:PORT@[IPv6]</c> and <c>local:/PATH</c>;
/// <see cref="TryParse(string, out MilterSocket, out SocketSyntax)"/> says which, and
/// <see cref="PolicyText"/> gives the policy's own form.
/// </summary>
public abstract record MilterSocket
{
    /// <summary>Postfix's queue directory on Debian and UCS, where smtpd and cleanup are chrooted.</summary>
    public const string PostfixChroot = "/var/spool/postfix/";

    public const string Expectation = "HOST:PORT (e.g. localhost:12345, 127.0.0.1:8891, [::1]:8891) or the absolute path of a UNIX socket (e.g. /var/spool/postfix/opendkim/opendkim.sock)";

    public static bool TryParse(string text, out MilterSocket socket) => TryParse(text, out socket, out _);

    /// <summary>Parses <paramref name="text"/> in any of the three syntaxes; <paramref name="syntax"/> says whose it was.</summary>
    public static bool TryParse(string text, out MilterSocket socket, out SocketSyntax syntax)
    {
        socket = null!;
        syntax = SocketSyntax.Policy;
        if (OpenDkimForm(text) is { } fromOpenDkim)
        {
            syntax = SocketSyntax.OpenDkim;
            text = fromOpenDkim;
        }
        else if (text.StartsWith("inet:", StringComparison.Ordinal))
        {
            syntax = SocketSyntax.Postfix;
            text = text["inet:".Length..];
        }
        else if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            syntax = SocketSyntax.Postfix;
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

    /// <summary>The socket as the policy writes it: <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or the absolute path.</summary>
    public string PolicyText => this switch
    {
        TcpMilterSocket { Kind: TcpHostKind.IPv6 } tcp => $"[{tcp.Host}]:{tcp.Port}",
        TcpMilterSocket tcp => $"{tcp.Host}:{tcp.Port}",
        UnixMilterSocket unix => unix.Path,
        _ => throw new InvalidOperationException($"no policy form for {GetType().Name}"),
    };

    // OpenDKIM's syntax rewritten into the policy's, or null when the text is not in it:
    // local:/PATH → /PATH; inet:PORT@HOST → HOST:PORT; inet:PORT@[IPv4] → IPv4:PORT;
    // inet6:PORT@[IPv6] → [IPv6]:PORT. A bare inet:PORT (every interface) names no host to connect to.
    private static string? OpenDkimForm(string text)
    {
        if (text.StartsWith("local:", StringComparison.Ordinal))
        {
            return text["local:".Length..] is ['/', ..] path ? path : "";
        }

        var six = text.StartsWith("inet6:", StringComparison.Ordinal);
        if (!six && !text.StartsWith("inet:", StringComparison.Ordinal) || text.IndexOf('@', StringComparison.Ordinal) is not (> 0 and var at))
        {
            return null;
        }

        var port = text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..at];
        var host = text[(at + 1)..];
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        return six ? (bracketed ? $"{host}:{port}" : "")
            : bracketed ? $"{host[1..^1]}:{port}"
            : $"{host}:{port}";
    }
}

/// <summary>Whose syntax a socket was written in: the policy's own, Postfix's or OpenDKIM's.</summary>
public enum SocketSyntax
{
    Policy,
    Postfix,
    OpenDkim,
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
