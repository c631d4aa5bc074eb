using System.Collections.Concurrent;
using IpIqa.Core.Batching;

namespace IpIqa.Core.Tests.Batching;

/// <summary>Items announced while they are prepared (#16): batches fill whenever enough work is on its way.</summary>
public sealed class DynamicBatcherIncomingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task APartialBatchWaitsPastTheDelayForAnnouncedItemsThatFillIt()
    {
        // Start-up with PNG input: the pool hands items over one decode apart, longer than the delay.
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = Recording(batches, maxBatch: 4);
        var incoming = Enumerable.Range(0, 4).Select(_ => batcher.Announce()).ToArray();

        var first = incoming[0].EnqueueAsync(0, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => batcher.QueuedCount == 0, Timeout), "the batcher never took the first item");
        // Give a batcher that would run the item alone the chance to do so (it does at once; waiting longer only slows this test).
        SpinWait.SpinUntil(() => !batches.IsEmpty, TimeSpan.FromMilliseconds(200));
        var rest = Enumerable.Range(1, 3).Select(i => incoming[i].EnqueueAsync(i, CancellationToken.None)).ToArray();

        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(Timeout);

        Assert.Equal([0, 1, 2, 3], results);
        Assert.Equal([[0, 1, 2, 3]], batches);
        Assert.Equal(0, batcher.IncomingCount);
    }

    [Fact]
    public async Task WithdrawnItemsLetThePartialBatchRun()
    {
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = Recording(batches, maxBatch: 4);
        var incoming = Enumerable.Range(0, 4).Select(_ => batcher.Announce()).ToArray();

        var first = incoming[0].EnqueueAsync(7, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => batcher.QueuedCount == 0, Timeout), "the batcher never took the item");
        foreach (var failed in incoming.Skip(1))
        {
            failed.Dispose(); // its decode failed: no batch may wait for it
        }

        Assert.Equal(7, await first.WaitAsync(Timeout));
        Assert.Equal([[7]], batches);
        Assert.Equal(0, batcher.IncomingCount);
    }

    [Fact]
    public async Task TooFewAnnouncedItemsToFillTheBatch_DoNotHoldIt()
    {
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = Recording(batches, maxBatch: 4);
        var incoming = Enumerable.Range(0, 3).Select(_ => batcher.Announce()).ToArray();

        // One queued and two on their way make 3 of 4: the delay rule applies as without announcements.
        Assert.Equal(5, await incoming[0].EnqueueAsync(5, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal([[5]], batches);
        Assert.Equal(2, batcher.IncomingCount);
    }

    [Fact]
    public async Task StoppingRunsThePartialBatchInsteadOfWaitingForAnnouncedItems()
    {
        var batches = new ConcurrentQueue<int[]>();
        var batcher = Recording(batches, maxBatch: 4);
        var incoming = Enumerable.Range(0, 4).Select(_ => batcher.Announce()).ToArray();
        var first = incoming[0].EnqueueAsync(3, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => batcher.QueuedCount == 0, Timeout), "the batcher never took the item");

        await batcher.StopAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(3, await first.WaitAsync(Timeout));
        Assert.Equal([[3]], batches);
        await batcher.DisposeAsync();
    }

    [Fact]
    public async Task AnAnnouncedItemIsQueuedOnce()
    {
        await using var batcher = Recording(new ConcurrentQueue<int[]>(), maxBatch: 1);
        using var incoming = batcher.Announce();

        Assert.Equal(1, await incoming.EnqueueAsync(1, CancellationToken.None).WaitAsync(Timeout));

        await Assert.ThrowsAsync<InvalidOperationException>(() => incoming.EnqueueAsync(2, CancellationToken.None));
        Assert.Equal(0, batcher.IncomingCount);
    }

    [Fact]
    public async Task ACancelledEnqueueSettlesTheAnnouncement()
    {
        await using var batcher = Recording(new ConcurrentQueue<int[]>(), maxBatch: 4);
        var incoming = batcher.Announce();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => incoming.EnqueueAsync(1, cancelled.Token));

        Assert.Equal(0, batcher.IncomingCount);
    }

    private static DynamicBatcher<int, int> Recording(ConcurrentQueue<int[]> batches, int maxBatch) => new(
        (items, _) =>
        {
            batches.Enqueue(items.ToArray());
            return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
        },
        new DynamicBatcherOptions { MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.Zero });
}
