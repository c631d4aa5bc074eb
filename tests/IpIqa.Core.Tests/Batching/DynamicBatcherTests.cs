using System.Collections.Concurrent;
using System.Diagnostics;
using IpIqa.Core.Batching;

namespace IpIqa.Core.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EachCallerGetsTheResultOfItsOwnItem_InSubmissionOrder()
    {
        var seen = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher<int, string>(
            (items, _) =>
            {
                foreach (var item in items)
                {
                    seen.Enqueue(item);
                }

                return ValueTask.FromResult<IReadOnlyList<string>>(items.Select(i => $"r{i}").ToArray());
            },
            new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(20) });

        var tasks = Enumerable.Range(0, 23).Select(i => batcher.EnqueueAsync(i, CancellationToken.None)).ToArray();
        var results = await Task.WhenAll(tasks).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"r{i}"), results);
        Assert.Equal(Enumerable.Range(0, 23), seen);
    }

    [Fact]
    public async Task FullBatchesRunWithoutWaitingForTheDelay()
    {
        var sizes = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher<int, int>(
            (items, _) =>
            {
                sizes.Enqueue(items.Count);
                return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
            },
            new DynamicBatcherOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromSeconds(30) });

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => batcher.EnqueueAsync(i, CancellationToken.None))).WaitAsync(Timeout);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"16 items in batches of 8 took {watch.Elapsed}.");
        Assert.All(sizes, s => Assert.True(s <= 8, $"batch of {s} exceeds MaxBatchSize 8"));
        Assert.Equal(16, sizes.Sum());
    }

    [Fact]
    public async Task APartialBatchRunsOnceItsOldestItemHasWaitedTheMaxDelay()
    {
        var sizes = new ConcurrentQueue<int>();
        var delay = TimeSpan.FromMilliseconds(150);
        await using var batcher = new DynamicBatcher<int, int>(
            (items, _) =>
            {
                sizes.Enqueue(items.Count);
                return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
            },
            new DynamicBatcherOptions { MaxBatchSize = 64, MaxQueueDelay = delay });

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => batcher.EnqueueAsync(i, CancellationToken.None))).WaitAsync(Timeout);
        var elapsed = watch.Elapsed;

        Assert.Equal([0, 1, 2], results);
        Assert.Equal([3], sizes);
        Assert.True(elapsed >= delay - TimeSpan.FromMilliseconds(20), $"the partial batch ran after {elapsed}, before the {delay} delay");
        Assert.True(elapsed < delay + TimeSpan.FromSeconds(2), $"the partial batch waited {elapsed}, far past the {delay} delay");
    }

    [Fact]
    public async Task APoisonItemFailsAlone_AndItsBatchMatesSucceed()
    {
        var calls = new ConcurrentQueue<int>();
        var gate = new TaskCompletionSource();
        await using var batcher = new DynamicBatcher<int, int>(
            async (items, _) =>
            {
                await gate.Task;
                calls.Enqueue(items.Count);
                if (items.Contains(13))
                {
                    throw new InvalidDataException("item 13 is poison");
                }

                return items.Select(i => i * 10).ToArray();
            },
            new DynamicBatcherOptions { MaxBatchSize = 5, MaxQueueDelay = TimeSpan.FromMilliseconds(50) });

        var tasks = new[] { 11, 12, 13, 14, 15 }.Select(i => batcher.EnqueueAsync(i, CancellationToken.None)).ToArray();
        gate.SetResult();

        var poison = await Assert.ThrowsAsync<InvalidDataException>(() => tasks[2].WaitAsync(Timeout));
        Assert.Equal("item 13 is poison", poison.Message);
        Assert.Equal(110, await tasks[0]);
        Assert.Equal(120, await tasks[1]);
        Assert.Equal(140, await tasks[3]);
        Assert.Equal(150, await tasks[4]);
        Assert.Contains(5, calls);
        Assert.Equal(1 + 5, calls.Count);
    }

    [Fact]
    public async Task AHandlerReturningTheWrongCountFailsTheItemsWithAClearMessage()
    {
        await using var batcher = new DynamicBatcher<int, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyList<int>>([]),
            new DynamicBatcherOptions { MaxBatchSize = 1 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EnqueueAsync(1, CancellationToken.None).WaitAsync(Timeout));
        Assert.Contains("0 results for 1 items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullQueueMakesCallersWait_UntilTheHandlerFreesRoom()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        await using var batcher = new DynamicBatcher<int, int>(
            async (items, _) =>
            {
                started.TrySetResult();
                await release.Task;
                return items.ToArray();
            },
            new DynamicBatcherOptions { MaxBatchSize = 1, MaxQueueDelay = TimeSpan.Zero, QueueCapacity = 2 });

        var running = batcher.EnqueueAsync(0, CancellationToken.None);
        await started.Task.WaitAsync(Timeout);
        var queued = new[] { batcher.EnqueueAsync(1, CancellationToken.None), batcher.EnqueueAsync(2, CancellationToken.None) };
        using var waitTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.EnqueueAsync(3, waitTimeout.Token));
        Assert.Equal(2, batcher.QueuedCount);

        release.SetResult();
        Assert.Equal(0, await running.WaitAsync(Timeout));
        var drained = await Task.WhenAll(queued).WaitAsync(Timeout);
        Assert.Equal([1, 2], drained);
        Assert.Equal(4, await batcher.EnqueueAsync(4, CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task ACancelledQueuedItemIsSkipped_AndTheOthersStillRun()
    {
        var release = new TaskCompletionSource();
        var processed = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher<int, int>(
            async (items, _) =>
            {
                await release.Task;
                foreach (var item in items)
                {
                    processed.Enqueue(item);
                }

                return items.ToArray();
            },
            new DynamicBatcherOptions { MaxBatchSize = 1, MaxQueueDelay = TimeSpan.Zero });

        using var cancel = new CancellationTokenSource();
        var first = batcher.EnqueueAsync(1, CancellationToken.None);
        var cancelled = batcher.EnqueueAsync(2, cancel.Token);
        var last = batcher.EnqueueAsync(3, CancellationToken.None);
        await cancel.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(1, await first.WaitAsync(Timeout));
        Assert.Equal(3, await last.WaitAsync(Timeout));
        Assert.DoesNotContain(2, processed);
    }

    [Fact]
    public async Task StoppingDrainsEveryQueuedItem_ThenRefusesNewOnes()
    {
        var processed = new ConcurrentQueue<int>();
        var batcher = new DynamicBatcher<int, int>(
            async (items, _) =>
            {
                await Task.Delay(10);
                foreach (var item in items)
                {
                    processed.Enqueue(item);
                }

                return items.Select(i => i + 1).ToArray();
            },
            new DynamicBatcherOptions { MaxBatchSize = 3, MaxQueueDelay = TimeSpan.FromSeconds(30) });

        var tasks = Enumerable.Range(0, 10).Select(i => batcher.EnqueueAsync(i, CancellationToken.None)).ToArray();
        await batcher.StopAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 10), processed);
        var results = await Task.WhenAll(tasks).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(1, 10), results);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EnqueueAsync(99, CancellationToken.None));
        await batcher.DisposeAsync();
    }

    [Fact]
    public async Task AStopThatTimesOutCancelsTheRunningBatch_AndFailsTheQueuedItems()
    {
        var batcher = new DynamicBatcher<int, int>(
            async (items, ct) =>
            {
                await Task.Delay(Timeout.Multiply(3), ct);
                return items.ToArray();
            },
            new DynamicBatcherOptions { MaxBatchSize = 1, MaxQueueDelay = TimeSpan.Zero });

        var tasks = Enumerable.Range(0, 3).Select(i => batcher.EnqueueAsync(i, CancellationToken.None)).ToArray();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await batcher.StopAsync(stopTimeout.Token).WaitAsync(Timeout);

        foreach (var task in tasks)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(Timeout));
        }

        await batcher.DisposeAsync();
    }

    [Theory]
    [InlineData(0, 5, 10, "MaxBatchSize")]
    [InlineData(4, -1, 10, "MaxQueueDelay")]
    [InlineData(4, 5, 0, "QueueCapacity")]
    public void InvalidOptionsAreRejectedNamingTheValue(int maxBatch, int delayMs, int capacity, string name)
    {
        var options = new DynamicBatcherOptions { MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.FromMilliseconds(delayMs), QueueCapacity = capacity };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicBatcher<int, int>((i, _) => ValueTask.FromResult(i), options));
        Assert.Equal(name, error.ParamName);
    }
}
