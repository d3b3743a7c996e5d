using System.Net;
using System.Net.Sockets;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Dns;

/// <summary>The test DNS server itself: it serves what it is given, and disposing it frees its port.</summary>
public sealed class BindServerTests
{
    [Fact]
    public void Disposing_stops_named_and_releases_its_port()
    {
        int port;
        using (var server = new BindServer("example.com. IN TXT \"v=spf1 -all\"\n"))
        {
            port = server.Port;
            Assert.Throws<SocketException>(() => new UdpClient(new IPEndPoint(IPAddress.Loopback, port)).Dispose());
        }

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        var tcp = new TcpListener(IPAddress.Loopback, port);
        tcp.Start();
        tcp.Stop();
    }
}
