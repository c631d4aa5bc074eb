namespace IpIqa.Worker.Http;

/// <summary>
/// Bounds what all requests hold at once: the items being scored, or the request bytes being read. A request enters
/// with all of its amount or not at all, so that a full gate answers 429 at once instead of queueing without bound.
/// </summary>
internal sealed class InFlightGate(long capacity)
{
    private long _inFlight;

    public long Capacity { get; } = capacity;

    public long InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter(long items)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current + items > Capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + items, current) == current)
            {
                return true;
            }
        }
    }

    public void Exit(long items) => Interlocked.Add(ref _inFlight, -items);
}
