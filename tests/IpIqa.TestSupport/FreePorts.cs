using System.Net;
using System.Net.Sockets;

namespace IpIqa.TestSupport;

/// <summary>Loopback ports for servers a test starts on a fixed port.</summary>
public static class FreePorts
{
    /// <summary>
    /// A port free on 127.0.0.1 now. Another process can take it before the test binds it, so a test
    /// that binds it retries on a new one when the bind fails.
    /// </summary>
    public static int Next()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
