using System.Net.Sockets;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Whether OpenDKIM answers on the socket the policy gives it: within the timeout, a connection
/// is accepted (TCP, or a UNIX socket below the root) and the milter answers the option
/// negotiation Postfix opens every session with; then the session is quit. A connection alone
/// proves little: the kernel accepts it on the listening socket of an OpenDKIM that hangs, and
/// Postfix then waits for the milter's answer until its milter timeouts run out.
/// </summary>
internal static class OpenDkimProbe
{
    // Milter packets: a 4-byte big-endian length, then the command and its data. SMFIC_OPTNEG
    // offers protocol version 6, every action and every protocol step, as an MTA does; SMFIC_QUIT ends the session.
    private static readonly byte[] OptionNegotiation = [0, 0, 0, 13, (byte)'O', 0, 0, 0, 6, 0, 0, 0x01, 0xFF, 0, 0x1F, 0xFF, 0xFF];
    private static readonly byte[] Quit = [0, 0, 0, 1, (byte)'Q'];
    private const int MaxReply = 65536;

    /// <summary>Where it connected (or tried to), and null when OpenDKIM answered, else why not.</summary>
    public static (string Address, string? Problem) Connect(MilterSocket socket, string root, TimeSpan timeout)
    {
        var (address, endPoint, family) = socket switch
        {
            UnixMilterSocket unix => ($"unix:{DkimKeyStore.PathUnder(root, unix.Path)}", (System.Net.EndPoint?)new UnixDomainSocketEndPoint(DkimKeyStore.PathUnder(root, unix.Path)), AddressFamily.Unix),
            TcpMilterSocket tcp => ($"inet:{tcp.Host}:{tcp.Port}", null, AddressFamily.InterNetwork),
            _ => throw new ArgumentException($"unknown socket {socket}", nameof(socket)),
        };

        using var cancel = new CancellationTokenSource(timeout);
        var connected = false;
        try
        {
            if (socket is TcpMilterSocket tcp)
            {
                using var client = new TcpClient();
                client.ConnectAsync(tcp.Host, tcp.Port, cancel.Token).AsTask().GetAwaiter().GetResult();
                connected = true;
                return (address, Negotiate(client.GetStream(), cancel.Token));
            }

            using var unixClient = new Socket(family, SocketType.Stream, ProtocolType.Unspecified);
            unixClient.ConnectAsync(endPoint!, cancel.Token).AsTask().GetAwaiter().GetResult();
            connected = true;
            using var stream = new NetworkStream(unixClient);
            return (address, Negotiate(stream, cancel.Token));
        }
        catch (OperationCanceledException)
        {
            return (address, connected
                ? $"accepts connections but gives no milter answer within {timeout.TotalSeconds:0.#} s"
                : $"no connection within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return (address, connected ? $"accepted the connection, then {e.Message}" : e.Message);
        }
    }

    /// <summary>Null when the milter answers the option negotiation, else what it did instead.</summary>
    private static string? Negotiate(Stream stream, CancellationToken cancel)
    {
        stream.WriteAsync(OptionNegotiation, cancel).AsTask().GetAwaiter().GetResult();
        var header = new byte[5];
        stream.ReadExactlyAsync(header, cancel).AsTask().GetAwaiter().GetResult();
        var length = (header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
        if (header[4] != (byte)'O' || length is < 1 or > MaxReply)
        {
            return $"accepted the connection but did not answer as a milter (reply command 0x{header[4]:x2}, length {length})";
        }

        stream.ReadExactlyAsync(new byte[length - 1], cancel).AsTask().GetAwaiter().GetResult();
        stream.WriteAsync(Quit, cancel).AsTask().GetAwaiter().GetResult();
        return null;
    }
}
