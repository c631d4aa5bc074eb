using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Http;

/// <summary>
/// The transport of <c>IpIqa:Transport:Kind=Http</c>: no queue. The worker serves the scoring API alone and
/// stops when the host stops.
/// </summary>
public sealed class HttpOnlyJobSource : IJobSource
{
    public string Name => "Http";

    public bool IsConnected => true;

    public async Task RunAsync(IJobHandler handler, CancellationToken stoppingToken, CancellationToken abortToken)
    {
        await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }
}
