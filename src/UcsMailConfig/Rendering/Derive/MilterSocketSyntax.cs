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
}
