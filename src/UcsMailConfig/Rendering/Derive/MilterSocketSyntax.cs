using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Rendering.Derive;

/// <summary>
/// One socket, two spellings. Postfix: <c>inet:HOST:PORT</c>, <c>inet:[::1]:PORT</c>, and a
/// UNIX socket relative to its chroot (<c>unix:opendkim/opendkim.sock</c>) because smtpd and
/// cleanup run inside <c>/var/spool/postfix</c>. OpenDKIM: <c>inet:PORT@HOST</c>,
/// <c>inet:PORT@[ADDRESS]</c> and <c>inet6:PORT@[ADDRESS]</c> (opendkim.conf(5): "A literal IP
/// address must be enclosed in square brackets"), <c>local:/FULL/PATH</c>. Mismatches between the two sides are a
/// classic cause of unsigned mail, so both come from here.
/// </summary>
internal static class MilterSocketSyntax
{
    public static string ForPostfix(MilterSocket socket) => socket switch
    {
        TcpMilterSocket { Kind: TcpHostKind.IPv6 } tcp => $"inet:[{tcp.Host}]:{tcp.Port}",
        TcpMilterSocket tcp => $"inet:{tcp.Host}:{tcp.Port}",
        UnixMilterSocket unix => "unix:" + unix.Path[MilterSocket.PostfixChroot.Length..],
        _ => throw new ArgumentOutOfRangeException(nameof(socket)),
    };

    public static string ForOpenDkim(MilterSocket socket) => socket switch
    {
        TcpMilterSocket { Kind: TcpHostKind.IPv6 } tcp => $"inet6:{tcp.Port}@[{tcp.Host}]",
        TcpMilterSocket { Kind: TcpHostKind.IPv4 } tcp => $"inet:{tcp.Port}@[{tcp.Host}]",
        TcpMilterSocket tcp => $"inet:{tcp.Port}@{tcp.Host}",
        UnixMilterSocket unix => "local:" + unix.Path,
        _ => throw new ArgumentOutOfRangeException(nameof(socket)),
    };

    /// <summary>The policy's spelling (<c>dkim.socket</c>, a chain entry's <c>socket</c>).</summary>
    public static string ForPolicy(MilterSocket socket) => socket switch
    {
        TcpMilterSocket { Kind: TcpHostKind.IPv6 } tcp => $"[{tcp.Host}]:{tcp.Port}",
        TcpMilterSocket tcp => $"{tcp.Host}:{tcp.Port}",
        UnixMilterSocket unix => unix.Path,
        _ => throw new ArgumentOutOfRangeException(nameof(socket)),
    };

    /// <summary>A socket as Postfix names it in a milter list; null for any other form (options in braces, a relative path outside the chroot rule).</summary>
    public static MilterSocket? FromPostfix(string text)
    {
        // A relative UNIX path is relative to Postfix's chroot, as ForPostfix writes it.
        var absolute = text.StartsWith("unix:", StringComparison.Ordinal) && !text.StartsWith("unix:/", StringComparison.Ordinal)
            ? "unix:" + MilterSocket.PostfixChroot + text["unix:".Length..]
            : text;
        return MilterSocket.TryParse(absolute, out var socket) ? socket : null;
    }

    /// <summary>A socket as OpenDKIM's Socket setting names it; null for a form the policy cannot express (e.g. every interface, <c>inet:8891</c>).</summary>
    public static MilterSocket? FromOpenDkim(string text)
    {
        if (text.StartsWith("local:", StringComparison.Ordinal) || text.StartsWith('/'))
        {
            return MilterSocket.TryParse(text.StartsWith('/') ? text : text["local:".Length..], out var unix) && unix is UnixMilterSocket ? unix : null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (colon < 0 || at < colon || text[..colon] is not ("inet" or "inet6"))
        {
            return null;
        }

        var host = text[(at + 1)..];
        var port = text[(colon + 1)..at];
        var hostText = host.StartsWith('[') && host.EndsWith(']') && host.Contains(':', StringComparison.Ordinal) ? host : host.Trim('[', ']');
        return MilterSocket.TryParse($"{hostText}:{port}", out var tcp) ? tcp : null;
    }
}
