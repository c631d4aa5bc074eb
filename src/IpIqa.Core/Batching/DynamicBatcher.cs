using System.Diagnostics;
using System.Threading.Channels;

namespace IpIqa.Core.Batching;

/// <summary>
/// Gathers single items into batches for a <see cref="BatchHandler{TIn, TOut}"/>: a batch runs when
/// it holds <see cref="DynamicBatcherOptions.MaxBatchSize"/> items or when its oldest item has waited
/// <see cref="DynamicBatcherOptions.MaxQueueDelay"/>, unless enough items announced with
/// <see cref="Announce"/> are still on their way to fill it: a partial batch then waits for them, so
/// batches are full whenever enough work is in the pipeline (at start-up the first items are
/// decoded one pool's worth at a time, and a delay shorter than one decode ran them almost alone).
/// The queue is bounded; a full queue makes <see cref="EnqueueAsync"/> wait. Items run in arrival
/// order, one batch at a time. When a batch throws, its items are retried one by one, so a poison
/// item fails alone.
/// </summary>
public sealed class DynamicBatcher<TIn, TOut> : IAsyncDisposable
{
    private readonly BatchHandler<TIn, TOut> _handler;
    private readonly DynamicBatcherOptions _options;
    private readonly Channel<PendingItem> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;
    private int _stopping;
    private int _incoming;
    private TaskCompletionSource _incomingChanged = NewSignal();

    public DynamicBatcher(BatchHandler<TIn, TOut> handler, DynamicBatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _handler = handler;
        _options = options;
        _queue = Channel.CreateBounded<PendingItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Items waiting in the queue (not counting the batch that is running).</summary>
    public int QueuedCount => _queue.Reader.Count;

    /// <summary>Items announced with <see cref="Announce"/> and neither queued nor withdrawn yet.</summary>
    public int IncomingCount => Volatile.Read(ref _incoming);

    /// <summary>
    /// Announces an item that is on its way (being read or decoded). Until it is queued with
    /// <see cref="IncomingItem{TIn, TOut}.EnqueueAsync"/> or withdrawn by disposing the returned
    /// <see cref="IncomingItem{TIn, TOut}"/>, a partial batch that it (with the other announced items) would fill
    /// waits for it past <see cref="DynamicBatcherOptions.MaxQueueDelay"/>.
    /// </summary>
    public IncomingItem<TIn, TOut> Announce()
    {
        Interlocked.Increment(ref _incoming);
        return new IncomingItem<TIn, TOut>(this);
    }

    /// <summary>
    /// Queues <paramref name="item"/> and returns its result. Waits while the queue is full.
    /// Cancelling <paramref name="cancellationToken"/> abandons the item (a running batch is not
    /// interrupted; its result for this item is dropped).
    /// </summary>
    /// <exception cref="InvalidOperationException">The batcher is stopping.</exception>
    public Task<TOut> EnqueueAsync(TIn item, CancellationToken cancellationToken) => EnqueueCoreAsync(item, announced: false, cancellationToken);

    /// <summary>The announced item has arrived in the queue, or will never come: the batcher re-counts what it may wait for.</summary>
    internal void Settle()
    {
        Interlocked.Decrement(ref _incoming);
        Interlocked.Exchange(ref _incomingChanged, NewSignal()).TrySetResult();
    }

    internal async Task<TOut> EnqueueCoreAsync(TIn item, bool announced, CancellationToken cancellationToken)
    {
        var pending = new PendingItem(item, Stopwatch.GetTimestamp());
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new InvalidOperationException("The batcher is stopping and takes no new items.", ex);
        }
        finally
        {
            // After the write, so the batcher never counts this item as neither queued nor coming.
            if (announced)
            {
                Settle();
            }
        }

        using (cancellationToken.Register(static state => ((PendingItem)state!).Completion.TrySetCanceled(), pending))
        {
            return await pending.Completion.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops taking items and waits until every queued item has been processed. If
    /// <paramref name="cancellationToken"/> fires first, the running batch is cancelled and the
    /// items still queued fail with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _stopping, 1);
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingItem>(_options.MaxBatchSize);
        var inputs = new List<TIn>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        var delay = new CancellationTokenSource();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                delay = await FillBatchAsync(reader, batch, delay).ConfigureAwait(false);
                if (_abort.IsCancellationRequested)
                {
                    FailAll(batch, new OperationCanceledException("The batcher was stopped before this item ran."));
                    batch.Clear();
                    continue;
                }

                inputs.Clear();
                foreach (var pending in batch)
                {
                    inputs.Add(pending.Item);
                }

                await ProcessAsync(batch, inputs).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
            delay.Dispose();
        }
    }

    /// <summary>Takes queued items until the batch is full or its oldest item's delay is spent.</summary>
    private async Task<CancellationTokenSource> FillBatchAsync(ChannelReader<PendingItem> reader, List<PendingItem> batch, CancellationTokenSource delay)
    {
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var next))
            {
                if (!next.Completion.Task.IsCompleted)
                {
                    batch.Add(next);
                }

                continue;
            }

            if (batch.Count == 0)
            {
                if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            var remaining = _options.MaxQueueDelay - Stopwatch.GetElapsedTime(batch[0].EnqueuedAt);
            if (Volatile.Read(ref _stopping) == 1)
            {
                break;
            }

            if (remaining <= TimeSpan.Zero)
            {
                // The signal before the count (a settle after the count completes it), the count before
                // the queue (an item queued after the last read was settled before the count went down).
                var changed = Volatile.Read(ref _incomingChanged).Task;
                var coming = IncomingCount;
                if (reader.Count > 0)
                {
                    continue;
                }

                if (batch.Count + coming < _options.MaxBatchSize)
                {
                    break;
                }

                // Enough items are being prepared to fill the batch: wait for one to arrive or be withdrawn.
                await Task.WhenAny(reader.WaitToReadAsync().AsTask(), changed).ConfigureAwait(false);
                continue;
            }

            if (!delay.TryReset())
            {
                delay.Dispose();
                delay = new CancellationTokenSource();
            }

            delay.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(delay.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (delay.IsCancellationRequested)
            {
                break;
            }
        }

        return delay;
    }

    private async Task ProcessAsync(List<PendingItem> batch, List<TIn> inputs)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var results = await _handler(inputs, _abort.Token).ConfigureAwait(false);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The batch handler returned {results.Count} results for {batch.Count} items.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception) when (batch.Count > 1 && !_abort.IsCancellationRequested)
        {
            await RetryOneByOneAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            FailAll(batch, ex);
        }
    }

    private async Task RetryOneByOneAsync(List<PendingItem> batch)
    {
        foreach (var pending in batch)
        {
            if (pending.Completion.Task.IsCompleted)
            {
                continue;
            }

            try
            {
                var results = await _handler([pending.Item], _abort.Token).ConfigureAwait(false);
                if (results.Count != 1)
                {
                    throw new InvalidOperationException($"The batch handler returned {results.Count} results for 1 item.");
                }

                pending.Completion.TrySetResult(results[0]);
            }
            catch (Exception ex)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private static void FailAll(List<PendingItem> batch, Exception ex)
    {
        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PendingItem(TIn item, long enqueuedAt)
    {
        public TIn Item { get; } = item;

        public long EnqueuedAt { get; } = enqueuedAt;

        public TaskCompletionSource<TOut> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
