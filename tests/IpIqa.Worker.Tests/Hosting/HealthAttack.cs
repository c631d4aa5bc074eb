using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>
/// Abrupt clients of the health port, bounded in count and time: requests closed before the reply,
/// requests reset (linger 0), and request headers half sent then held open until the server drops
/// them (or <see cref="HoldLimit"/> passes). Every connection goes to 127.0.0.1.
/// </summary>
public sealed class HealthAttack(int port)
{
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(10);

    private static readonly byte[] FullRequest = Encoding.ASCII.GetBytes("GET /healthz/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    private static readonly byte[] HalfRequest = Encoding.ASCII.GetBytes("GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");

    private int _closed;
    private int _reset;
    private int _held;
    private int _droppedByServer;
    private int _refused;

    /// <summary>Connections closed right after the request was sent.</summary>
    public int Closed => _closed;

    /// <summary>Connections reset (RST) right after the request was sent.</summary>
    public int Reset => _reset;

    /// <summary>Connections whose headers were half sent and held open.</summary>
    public int Held => _held;

    /// <summary>Held connections that the server closed before <see cref="HoldLimit"/>.</summary>
    public int DroppedByServer => _droppedByServer;

    /// <summary>Connections the server refused or reset before the request was sent.</summary>
    public int Refused => _refused;

    /// <summary>Runs <paramref name="abrupt"/> close-or-reset connections and <paramref name="halfSent"/> held ones, <paramref name="concurrency"/> at a time.</summary>
    public async Task RunAsync(int abrupt, int halfSent, int concurrency, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var total = abrupt + halfSent;
        var stride = halfSent == 0 ? int.MaxValue : total / halfSent;
        var tasks = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            await gate.WaitAsync(cancellationToken);
            var kind = i % stride == stride - 1 ? 2 : i % 2;
            if (kind == 2)
            {
                Interlocked.Increment(ref _held);
            }

            tasks.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await OneAsync(kind, cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(tasks);
    }

    private async Task OneAsync(int kind, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            await socket.SendAsync(kind == 2 ? HalfRequest : FullRequest, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _refused);
            return;
        }

        switch (kind)
        {
            case 0:
                Interlocked.Increment(ref _closed);
                socket.Close();
                break;
            case 1:
                Interlocked.Increment(ref _reset);
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                break;
            default:
                if (await ServerClosesAsync(socket, cancellationToken))
                {
                    Interlocked.Increment(ref _droppedByServer);
                }

                break;
        }
    }

    private static async Task<bool> ServerClosesAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hold.CancelAfter(HoldLimit);
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, hold.Token) > 0)
            {
                // A 408 may come first; the close follows.
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException) when (hold.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
