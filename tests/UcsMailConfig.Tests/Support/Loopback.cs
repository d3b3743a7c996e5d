using System.Net;
using System.Net.Sockets;

namespace UcsMailConfig.Tests.Support;

/// <summary>
/// Loopback TCP ports for test daemons. <see cref="FreePort"/> asks the kernel for a port that
/// is free at that moment; a daemon that then fails to bind it fails its start loudly.
/// <see cref="ClosedPort"/> is a port where nothing can listen.
/// </summary>
public static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A port that refuses every connection for as long as the returned socket lives: bound,
    /// never listening, so no other test's daemon can take it in the meantime.
    /// </summary>
    public static Socket ClosedPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Whether something accepts connections on 127.0.0.1:<paramref name="port"/> right now.</summary>
    public static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}
