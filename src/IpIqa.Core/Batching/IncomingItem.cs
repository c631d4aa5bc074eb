namespace IpIqa.Core.Batching;

/// <summary>
/// An item announced to a <see cref="DynamicBatcher{TIn, TOut}"/> while it is still being prepared.
/// Queue it once with <see cref="EnqueueAsync"/>; disposing it before then withdraws it (its
/// preparation failed or was cancelled), so no batch waits for it.
/// </summary>
public sealed class IncomingItem<TIn, TOut> : IDisposable
{
    private readonly DynamicBatcher<TIn, TOut> _batcher;
    private int _settled;

    internal IncomingItem(DynamicBatcher<TIn, TOut> batcher) => _batcher = batcher;

    /// <summary>Queues the announced item, as <see cref="DynamicBatcher{TIn, TOut}.EnqueueAsync"/> does.</summary>
    /// <exception cref="InvalidOperationException">The item was already queued or withdrawn, or the batcher is stopping.</exception>
    public Task<TOut> EnqueueAsync(TIn item, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            throw new InvalidOperationException("This announced item was already queued or withdrawn.");
        }

        return _batcher.EnqueueCoreAsync(item, announced: true, cancellationToken);
    }

    /// <summary>Withdraws the item if it was not queued.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _batcher.Settle();
        }
    }
}
