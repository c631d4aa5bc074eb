using System.Collections.Concurrent;
using System.Diagnostics;
using IpIqa.Core.Batching;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace BatchFill;

/// <summary>
/// The worker's scorer with the model replaced by a stand-in device: each image is "decoded" for
/// <c>decode</c> on one of <c>decoders</c> threads, then queued in the real <see cref="DynamicBatcher{TIn, TOut}"/>,
/// whose batches hold the device for <c>perBatch + perItem × size</c>. Records every batch's size.
/// </summary>
public sealed class SimulatedModel : IImageScorer, IAsyncDisposable
{
    private readonly DynamicBatcher<ScorerInput, Scores> _batcher;
    private readonly SemaphoreSlim _decoders;
    private readonly TimeSpan _decode;
    private readonly TimeSpan _perBatch;
    private readonly TimeSpan _perItem;

    public SimulatedModel(DynamicBatcherOptions batching, int decoders, TimeSpan decode, TimeSpan perBatch, TimeSpan perItem)
    {
        _decoders = new SemaphoreSlim(decoders);
        _decode = decode;
        _perBatch = perBatch;
        _perItem = perItem;
        _batcher = new DynamicBatcher<ScorerInput, Scores>(RunBatchAsync, batching);
    }

    public ModelInfo Model { get; } = new("simulated", "0", "000000000000");

    /// <summary>Each batch: how many jobs had been handed to the device before it, and its size.</summary>
    public ConcurrentQueue<(int Before, int Size)> Batches { get; } = new();

    private int _handed;

    public async Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        await _decoders.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(_decode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _decoders.Release();
        }

        var started = Stopwatch.GetTimestamp();
        var scores = await _batcher.EnqueueAsync(input, cancellationToken).ConfigureAwait(false);
        var queued = Stopwatch.GetElapsedTime(started);
        return new ScorerOutcome(scores, null, new ScoreTimings(TimeSpan.Zero, _decode, queued, TimeSpan.Zero, _decode + queued, 0));
    }

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _decoders.Dispose();
    }

    private async ValueTask<IReadOnlyList<Scores>> RunBatchAsync(IReadOnlyList<ScorerInput> items, CancellationToken cancellationToken)
    {
        var before = Interlocked.Add(ref _handed, items.Count) - items.Count;
        Batches.Enqueue((before, items.Count));
        await Task.Delay(_perBatch + (_perItem * items.Count), cancellationToken).ConfigureAwait(false);
        return [.. items.Select(_ => new Scores(0.5, 0.5))];
    }
}
