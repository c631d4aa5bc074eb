namespace IpIqa.Core.Jobs;

/// <summary>
/// A transport that receives job messages and hands each to a handler, many at once so that
/// the batcher fills. <see cref="RunAsync"/> stops receiving when <paramref name="stoppingToken"/>
/// fires, then waits for the deliveries in flight (their handlers see <paramref name="abortToken"/>,
/// which fires when the host runs out of shutdown time, and abandon).
/// </summary>
public interface IJobSource
{
    /// <summary>A short name for logs and health: <c>Local</c>, <c>ServiceBus</c>, <c>StorageQueue</c>.</summary>
    string Name { get; }

    /// <summary>Whether the transport reached its queue (health).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Receives until <paramref name="stoppingToken"/> fires (or, for a draining source, until
    /// nothing is left), then returns once every handler has finished.
    /// </summary>
    Task RunAsync(IJobHandler handler, CancellationToken stoppingToken, CancellationToken abortToken);
}
