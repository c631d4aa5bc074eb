using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A run after a finished one journals only what changed; its records resolve through the chain of runs (#19).</summary>
public sealed class DeltaRunTests : IDisposable
{
    private static readonly RunThresholds T = new(2.5, 3.0);
    private readonly TempDirectory _root = new("delta-runs");

    public void Dispose() => _root.Dispose();

    /// <summary>Runs <paramref name="source"/> as a delta of <paramref name="baseRun"/> (null: a full run) to the end, or until <paramref name="cancel"/> fires.</summary>
    private async Task<RunFolder> RunAsync(FakeSource source, RunFolder? baseRun, FakeProcessor? processor = null, RunFolder? resume = null, CancellationToken cancel = default, bool incremental = false)
    {
        var run = resume ?? RunFolder.Create(_root.Path, source.Description, "score", "model-a", TimeProvider.System, baseRun, T);
        if (incremental)
        {
            run.Save(run.State with { Incremental = true });
        }

        using var previous = baseRun is null ? null : PreviousIndex(baseRun, run.ScratchPath);
        await new RescoreRunner(source, processor ?? new FakeProcessor(), new RescoreRunOptions { PageSize = 50 }).RunAsync(run, previous, null, cancel);
        run.Save(run.State with { Completed = DateTimeOffset.UtcNow });
        return run;
    }

    private RecordIndex PreviousIndex(RunFolder run, string work)
    {
        using var records = RunRecords.Open(_root.Path, run, work);
        return RecordIndex.Create(records.Records(), work);
    }

    private List<RescoreRecord> Resolved(RunFolder run)
    {
        using var records = RunRecords.Open(_root.Path, run, _root.Combine("work"));
        return records.Records().ToList();
    }

    private static string[] RecordLines(RunFolder run) =>
        File.ReadAllLines(run.JournalPath).Where(l => !l.StartsWith("{\"seen\":", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task ANoChangeRerun_JournalsOnlySeenRanges_AndResolvesToTheFullRunsRecords()
    {
        var source = FakeSource.WithItems(1_000);
        var full = await RunAsync(source, null);
        var processor = new FakeProcessor();

        var rerun = await RunAsync(source, full, processor);

        Assert.Empty(processor.Calls);
        Assert.Empty(RecordLines(rerun));
        Assert.Equal(20, File.ReadAllLines(rerun.JournalPath).Length); // one seen line per page of 50
        Assert.InRange(new FileInfo(rerun.JournalPath).Length, 1, 600); // full.JournalPath holds about 300 KB
        var before = Resolved(full);
        var after = Resolved(rerun);
        Assert.Equal(before.Select(r => (r.Key, r.Version, r.Quality)), after.Select(r => (r.Key, r.Version, r.Quality)));
        Assert.All(after, r => Assert.True(r.Skipped));
    }

    [Fact]
    public async Task AChainOfDeltas_WithChangedNewAndRemovedImages_InAnyListingOrder_ResolvesToWhatAFullRunHolds()
    {
        var items = FakeSource.WithItems(600).ListAll().ToList();
        var run = await RunAsync(new FakeSource(items), null);
        var random = new Random(11);
        for (var night = 1; night <= 4; night++)
        {
            // Change every 17th image, remove 10, add 10 new ones; on night 3 the listing comes unsorted (a manifest).
            items = items.Select((item, i) => (i + night) % 17 == 0 ? item with { Version = $"v{night + 1}" } : item)
                .Where(_ => random.Next(60) != 0)
                .Concat(Enumerable.Range(0, 10).Select(i => new RescoreItem($"img-{600 + (night * 10) + i:D5}.png", "mem://new", 1, "v1", "p")))
                .ToList();
            var listing = night == 3 ? items.OrderBy(_ => random.Next()).ToList() : items.OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            var processor = new FakeProcessor();
            run = await RunAsync(new FakeSource(listing), run, processor);

            Assert.Equal(night, run.State.Depth);
            Assert.Equal(items.Count(i => i.Version != "v1" && i.Version == $"v{night + 1}") + 10, processor.Calls.Count);
            Assert.Equal(processor.Calls.Count, RecordLines(run).Length);
            var expected = items.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => (i.Key, i.Version)).ToList();
            Assert.Equal(expected, Resolved(run).Select(r => (r.Key, r.Version)));
        }

        // The same gallery scored from scratch gives the same records.
        var fresh = await RunAsync(new FakeSource(items), null);
        Assert.Equal(Resolved(fresh).Select(r => (r.Key, r.Version, r.Quality, r.Status)), Resolved(run).Select(r => (r.Key, r.Version, r.Quality, r.Status)));
    }

    [Fact]
    public async Task ADeltaRunCancelledPartWay_ResumesWithNoDuplicatesAndNoGaps()
    {
        var items = FakeSource.WithItems(900).ListAll();
        var full = await RunAsync(new FakeSource(items), null);
        var changed = new FakeSource(items.Select((item, i) => i % 3 == 0 ? item with { Version = "v2" } : item).ToArray());
        using var cancel = new CancellationTokenSource();
        var first = new FakeProcessor { CancelAfterSource = cancel, CancelAfter = 120 };
        var run = RunFolder.Create(_root.Path, changed.Description, "score", "model-a", TimeProvider.System, full, T);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(changed, full, first, run, cancel.Token));
        var afterKill = RecordLines(run).Length;
        Assert.InRange(afterKill, 1, 299);
        var second = new FakeProcessor();
        await RunAsync(changed, full, second, RunFolder.Open(_root.Path, run.RunId));

        Assert.Equal(300, second.Calls.Count + afterKill);
        Assert.Equal(300, RecordLines(run).Length);
        var resolved = Resolved(RunFolder.Open(_root.Path, run.RunId));
        Assert.Equal(changed.ListAll().Select(i => (i.Key, i.Version)), resolved.Select(r => (r.Key, r.Version)));
        Assert.Equal(600, resolved.Count(r => r.Skipped));
    }

    [Fact]
    public async Task ARunIsFull_AfterMaxDeltas_WhenTheDeltasGrowLarge_OrWhenTheModelThresholdsModeOrForceDiffer()
    {
        var source = FakeSource.WithItems(200);
        var run = await RunAsync(source, null);
        for (var night = 1; night <= RunChain.MaxDeltas; night++)
        {
            Assert.Equal(run.RunId, RunChain.BaseFor(_root.Path, run, "score", "model-a", T, force: false));
            run = await RunAsync(source, run);
        }

        Assert.Equal(RunChain.MaxDeltas, run.State.Depth);
        Assert.Null(RunChain.BaseFor(_root.Path, run, "score", "model-a", T, force: false));
        Assert.Equal(RunChain.MaxDeltas + 1, RunChain.Of(_root.Path, run).Count);

        var fresh = await RunAsync(source, null);
        Assert.Equal(fresh.RunId, RunChain.BaseFor(_root.Path, fresh, "score", "model-a", T, force: false));
        Assert.Null(RunChain.BaseFor(_root.Path, fresh, "score", "model-b", T, force: false));
        Assert.Null(RunChain.BaseFor(_root.Path, fresh, "score", "model-a", new RunThresholds(0.5, null), force: false));
        Assert.Null(RunChain.BaseFor(_root.Path, fresh, "enqueue", "model-a", T, force: false));
        Assert.Null(RunChain.BaseFor(_root.Path, fresh, "score", "model-a", T, force: true));

        // Half the images changed: the delta is more than half the full journal, so the next run compacts.
        var halfChanged = new FakeSource(source.ListAll().Select((item, i) => i % 2 == 0 ? item with { Version = "v2" } : item).ToArray());
        var large = await RunAsync(halfChanged, fresh);
        Assert.Equal(100, RecordLines(large).Length);
        Assert.Null(RunChain.BaseFor(_root.Path, large, "score", "model-a", T, force: false));
    }

    [Fact]
    public void ADeltaWhoseBaseRunIsGone_IsAClearError()
    {
        var orphan = RunFolder.Create(_root.Path, "fake:gallery", "score", "model-a", TimeProvider.System);
        orphan.Save(orphan.State with { BaseRunId = "20200101-000000-abcdef", Depth = 1 });

        var error = Assert.Throws<InvalidDataException>(() => RunRecords.Open(_root.Path, orphan, _root.Combine("work")));
        Assert.Contains("20200101-000000-abcdef, which is missing", error.Message, StringComparison.Ordinal);
    }

    // A change feed run lists only what changed: as a plain delta it would drop every image it did not
    // list; as an incremental run (RunState.Incremental) it keeps them.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARunListingOnlyTheChangedImages_KeepsTheOthersOnlyWhenIncremental(bool incremental)
    {
        var items = FakeSource.WithItems(300).ListAll().ToList();
        var full = await RunAsync(new FakeSource(items), null);
        var changes = items.Where((_, i) => i % 10 == 0).Select(i => i with { Version = "v2" })
            .Append(new RescoreItem("img-99999.png", "mem://new", 1, "v1", "p"))
            .ToList();

        var night = await RunAsync(new FakeSource(changes), full, incremental: incremental);

        var resolved = Resolved(night);
        if (incremental)
        {
            var expected = items.Select(i => changes.FirstOrDefault(c => c.Key == i.Key) ?? i).Append(changes[^1])
                .OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => (i.Key, i.Version));
            Assert.Equal(expected, resolved.Select(r => (r.Key, r.Version)));
            Assert.Equal(changes.Count, resolved.Count(r => !r.Skipped));
        }
        else
        {
            Assert.Equal(changes.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => (i.Key, i.Version)), resolved.Select(r => (r.Key, r.Version)));
        }
    }

    [Fact]
    public async Task AnIncrementalRunsFlag_SurvivesItsCheckpoint()
    {
        var full = await RunAsync(FakeSource.WithItems(10), null);
        var night = await RunAsync(new FakeSource([]), full, incremental: true);

        var reopened = RunFolder.Open(_root.Path, night.RunId);

        Assert.True(reopened.State.Incremental);
        Assert.Equal(10, Resolved(reopened).Count);
    }

    [Fact]
    public async Task AnIncrementalRun_JournalsADeletion_OnlyForAnImageItsBaseHolds()
    {
        var full = await RunAsync(FakeSource.WithItems(10), null);
        var gone = new RescoreItem("img-00004.png", "mem://img-00004.png", 0, "", null) { Deleted = true };
        var neverHeld = new RescoreItem("img-00100.png", "mem://img-00100.png", 0, "", null) { Deleted = true }; // created and deleted between the runs
        var processor = new FakeProcessor();

        var night = await RunAsync(new FakeSource([neverHeld, gone, neverHeld]), full, processor, incremental: true);

        Assert.Empty(processor.Calls);
        var line = Assert.Single(RecordLines(night));
        Assert.Contains("\"key\":\"img-00004.png\"", line, StringComparison.Ordinal);
        Assert.Equal(FakeSource.WithItems(10).ListAll().Select(i => i.Key).Where(k => k != gone.Key), Resolved(night).Select(r => r.Key));
    }
}
