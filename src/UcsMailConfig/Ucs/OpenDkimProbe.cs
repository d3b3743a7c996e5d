using System.Net.Sockets;
using UcsMailConfig.Dkim;
using UcsMailConfig.Policy.Values;

namespace UcsMailConfig.Ucs;

/// <summary>
/// Whether OpenDKIM answers on the socket the policy gives it: a connection is accepted
/// within the timeout (TCP, or a UNIX socket below the root). Connects and closes; says nothing
/// over the connection, so the milter sees an empty session at most.
/// </summary>
internal static class OpenDkimProbe
{
    /// <summary>Where it connected (or tried to), and null when it was accepted, else why not.</summary>
    public static (string Address, string? Problem) Connect(MilterSocket socket, string root, TimeSpan timeout)
    {
        var (address, endPoint, family) = socket switch
        {
            UnixMilterSocket unix => ($"unix:{DkimKeyStore.PathUnder(root, unix.Path)}", (System.Net.EndPoint?)new UnixDomainSocketEndPoint(DkimKeyStore.PathUnder(root, unix.Path)), AddressFamily.Unix),
            TcpMilterSocket tcp => ($"inet:{tcp.Host}:{tcp.Port}", null, AddressFamily.InterNetwork),
            _ => throw new ArgumentException($"unknown socket {socket}", nameof(socket)),
        };

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            if (socket is TcpMilterSocket tcp)
            {
                using var client = new TcpClient();
                client.ConnectAsync(tcp.Host, tcp.Port, cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            else
            {
                using var client = new Socket(family, SocketType.Stream, ProtocolType.Unspecified);
                client.ConnectAsync(endPoint!, cancel.Token).AsTask().GetAwaiter().GetResult();
            }

            return (address, null);
        }
        catch (OperationCanceledException)
        {
            return (address, $"no connection within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            return (address, e.Message);
        }
    }
}
