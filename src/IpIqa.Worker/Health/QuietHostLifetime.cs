using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Health;

/// <summary>
/// The lifetime of the endpoint's inner web host: it neither listens for signals nor prints status,
/// because the worker's own host owns the process and starts and stops the endpoint.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
