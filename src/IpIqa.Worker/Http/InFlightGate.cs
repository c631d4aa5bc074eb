namespace IpIqa.Worker.Http;

/// <summary>
/// Bounds the items being scored at once over all requests. A request enters with all its items or not at all,
/// so that a full gate answers 429 at once instead of queueing without bound.
/// </summary>
internal sealed class InFlightGate(int capacity)
{
    private int _inFlight;

    public int Capacity { get; } = capacity;

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter(int items)
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

    public void Exit(int items) => Interlocked.Add(ref _inFlight, -items);
}
