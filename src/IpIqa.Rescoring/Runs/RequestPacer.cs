namespace IpIqa.Rescoring;

/// <summary>
/// Spaces requests to a storage account evenly at no more than <c>requestsPerSecond</c>
/// (0: unlimited). Thread-safe; each <see cref="WaitAsync"/> takes the next free slot.
/// </summary>
public sealed class RequestPacer(double requestsPerSecond, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval = requestsPerSecond > 0 ? TimeSpan.FromSeconds(1 / requestsPerSecond) : TimeSpan.Zero;
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private long _taken;

    public static RequestPacer Unlimited { get; } = new(0, TimeProvider.System);

    /// <summary>Slots taken so far (one per request), with or without a cap.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _taken);
        if (_interval == TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        TimeSpan delay;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            delay = slot - now;
        }

        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, clock, cancellationToken);
    }
}
