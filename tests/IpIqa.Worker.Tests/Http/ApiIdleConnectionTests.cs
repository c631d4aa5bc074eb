using System.Net;
using System.Net.Sockets;
using IpIqa.Worker.Tests.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Http;

/// <summary>
/// A connection flood before any request: Kestrel's keep-alive timeout also bounds the wait for a connection's first
/// request, and its default of two minutes let <c>MaxConnections</c> silent sockets hold every slot of the API, with
/// no token ever sent. The API closes them after <c>IpIqa:Http:IdleTimeout</c>.
/// </summary>
public sealed class ApiIdleConnectionTests
{
    /// <summary>Far above the one second configured, far below Kestrel's default two minutes.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_connection_that_never_sends_a_request_is_closed_and_frees_its_slot()
    {
        await using var api = await ApiHost.StartAsync(new() { ["IpIqa:Http:MaxConnections"] = "1", ["IpIqa:Http:IdleTimeout"] = "00:00:01" });
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(new IPEndPoint(IPAddress.Loopback, api.Client.BaseAddress!.Port));

        Assert.True(await ClosedByServerAsync(silent), "the API kept a silent connection open");

        using var response = await api.Client.GetAsync(new Uri("/v1/model", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:10:00")]
    public async Task An_idle_timeout_outside_one_second_to_two_minutes_stops_the_start(string value)
    {
        using var host = WorkerHostFactory.Build(new Dictionary<string, string?> { ["IpIqa:Http:IdleTimeout"] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"IpIqa:Http:IdleTimeout {value} must be between 00:00:01 and 00:02:00", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>True when the server ends the connection (an orderly close or a reset) before <see cref="Guard"/>.</summary>
    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[1]).WaitAsync(Guard) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
