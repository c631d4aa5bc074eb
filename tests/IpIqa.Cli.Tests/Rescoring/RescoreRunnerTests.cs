using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

public sealed class RescoreRunnerTests : IDisposable
{
    private readonly TempDirectory _root = new("rescore-runner");

    public void Dispose() => _root.Dispose();

    private RunFolder NewRun(FakeSource source, string model = "model-a") =>
        RunFolder.Create(_root.Path, source.Description, "score", model, TimeProvider.System);

    private static string[] JournalKeys(RunFolder run) =>
        File.ReadAllLines(run.JournalPath).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()!).ToArray();

    [Fact]
    public async Task ARunCancelledPartWay_ThenResumed_JournalsEveryItemExactlyOnce()
    {
        var source = FakeSource.WithItems(1_000);
        var options = new RescoreRunOptions { PageSize = 64 };
        var run = NewRun(source);
        using var cancel = new CancellationTokenSource();
        var first = new FakeProcessor { CancelAfterSource = cancel, CancelAfter = 300 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RescoreRunner(source, first, options).RunAsync(run, null, null, cancel.Token));
        var afterKill = JournalKeys(run);
        Assert.InRange(afterKill.Length, 1, 999);
        Assert.True(run.State.PagesDone >= 1, "at least one page was checkpointed");

        var resumedRun = RunFolder.FindResumable(_root.Path, source.Description, "score", "model-a");
        Assert.NotNull(resumedRun);
        Assert.Equal(run.RunId, resumedRun.RunId);
        var checkpoint = resumedRun.State.ContinuationToken;
        var second = new FakeProcessor();
        var counts = await new RescoreRunner(source, second, options).RunAsync(resumedRun, null, null, CancellationToken.None);

        var keys = JournalKeys(resumedRun);
        Assert.Equal(1_000, keys.Length);
        Assert.Equal(1_000, keys.Distinct().Count());
        Assert.DoesNotContain(second.Calls, afterKill.Contains);
        Assert.Equal(1_000 - afterKill.Length, counts.Processed);
        Assert.NotNull(checkpoint);
        Assert.Equal(checkpoint, source.ListedFrom[^1]); // listing resumed from the checkpoint, not from the start
        Assert.Null(resumedRun.State.ContinuationToken);
    }

    [Fact]
    public async Task ASecondRunWithTheSameModel_SkipsEverything_AndForceRescores()
    {
        var source = FakeSource.WithItems(120);
        var options = new RescoreRunOptions { PageSize = 50 };
        var firstRun = NewRun(source);
        await new RescoreRunner(source, new FakeProcessor(), options).RunAsync(firstRun, null, null, CancellationToken.None);
        var earlier = RunJournal.Read(firstRun.JournalPath);
        using var previous = RecordIndex.Create(firstRun.JournalPath, _root.Path);

        var again = new FakeProcessor();
        var secondRun = NewRun(source);
        var counts = await new RescoreRunner(source, again, options).RunAsync(secondRun, previous, null, CancellationToken.None);

        Assert.Empty(again.Calls);
        Assert.Equal(120, counts.Skipped);
        var carried = RunJournal.Read(secondRun.JournalPath);
        Assert.Equal(120, carried.Count);
        Assert.All(carried.Values, r => Assert.True(r.Skipped));
        Assert.Equal(earlier["img-00007.png"].Quality, carried["img-00007.png"].Quality);

        var forced = new FakeProcessor();
        await new RescoreRunner(source, forced, options with { Force = true }).RunAsync(NewRun(source), previous, null, CancellationToken.None);
        Assert.Equal(120, forced.Calls.Count);

        var otherModel = new FakeProcessor("model-b");
        await new RescoreRunner(source, otherModel, options).RunAsync(NewRun(source, "model-b"), previous, null, CancellationToken.None);
        Assert.Equal(120, otherModel.Calls.Count);
    }

    [Fact]
    public async Task AChangedImageOrPrompt_IsRescoredDespiteTheSameModel()
    {
        var source = FakeSource.WithItems(3);
        var run = NewRun(source);
        await new RescoreRunner(source, new FakeProcessor(), new()).RunAsync(run, null, null, CancellationToken.None);
        var changed = RunJournal.Read(run.JournalPath).ToDictionary();
        changed["img-00001.png"] = changed["img-00001.png"] with { Version = "v0" };
        changed["img-00002.png"] = changed["img-00002.png"] with { PromptHash = RescoreRecord.HashPrompt("another prompt") };
        var journal = _root.Combine("changed.jsonl");
        File.WriteAllLines(journal, changed.Values.Select(r => System.Text.Json.JsonSerializer.Serialize(r, RescoreJsonContext.Default.RescoreRecord)));
        using var previous = RecordIndex.Create(journal, _root.Path);

        var processor = new FakeProcessor();
        await new RescoreRunner(source, processor, new()).RunAsync(NewRun(source), previous, null, CancellationToken.None);

        Assert.Equal(["img-00001.png", "img-00002.png"], processor.Calls.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnImageWithNoPrompt_IsReportedAsPromptMissing_NotProcessed()
    {
        var source = FakeSource.WithItems(4, i => i == 2 ? null : $"p{i}");
        var processor = new FakeProcessor();
        var run = NewRun(source);

        var counts = await new RescoreRunner(source, processor, new()).RunAsync(run, null, null, CancellationToken.None);

        Assert.DoesNotContain("img-00002.png", processor.Calls);
        var record = RunJournal.Read(run.JournalPath)["img-00002.png"];
        Assert.Equal(ErrorCodes.PromptMissing, record.ErrorCode);
        Assert.Equal(RescoreRecord.StatusFailed, record.Status);
        Assert.Equal(1, counts.Failed);
    }

    [Fact]
    public async Task AfterCheckpoint_IsAwaitedOncePerPage_WithThatPagesJournalLinesAndCheckpointOnDisk()
    {
        var source = FakeSource.WithItems(250);
        var run = NewRun(source);
        var seen = new List<(int PagesDone, int JournalLines, int StoredPagesDone)>();
        var options = new RescoreRunOptions
        {
            PageSize = 100,
            AfterCheckpoint = async (checkpointed, cancellationToken) =>
            {
                await Task.Yield();
                var stored = RunFolder.Open(_root.Path, checkpointed.RunId);
                using var journal = new FileStream(checkpointed.JournalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(journal);
                var lines = (await reader.ReadToEndAsync(cancellationToken)).Count(c => c == '\n');
                seen.Add((checkpointed.State.PagesDone, lines, stored.State.PagesDone));
            },
        };

        await new RescoreRunner(source, new FakeProcessor(), options).RunAsync(run, null, null, CancellationToken.None);

        Assert.Equal([(1, 100, 1), (2, 200, 2), (3, 250, 3)], seen);
    }

    [Fact]
    public async Task AFailingAfterCheckpoint_StopsTheRun_BeforeTheNextPageIsListed()
    {
        var source = FakeSource.WithItems(250);
        var run = NewRun(source);
        var options = new RescoreRunOptions { PageSize = 100, AfterCheckpoint = (_, _) => throw new IOException("store unreachable") };

        await Assert.ThrowsAsync<IOException>(() => new RescoreRunner(source, new FakeProcessor(), options).RunAsync(run, null, null, CancellationToken.None));

        Assert.Equal(100, JournalKeys(run).Length);
        Assert.Equal(1, run.State.PagesDone);
    }

    [Fact]
    public async Task AnUnsortedListing_ResumesExactlyOnce_AndARerunSkipsExactlyTheUnchanged()
    {
        // A manifest lists in its own order: the look-ups seek instead of merging, and must skip exactly as before (#19).
        var items = FakeSource.WithItems(700).ListAll().OrderBy(i => i.Key.GetHashCode(StringComparison.Ordinal)).ToArray();
        var source = new FakeSource(items);
        var options = new RescoreRunOptions { PageSize = 50 };
        var run = NewRun(source);
        using var cancel = new CancellationTokenSource();
        var first = new FakeProcessor { CancelAfterSource = cancel, CancelAfter = 333 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RescoreRunner(source, first, options).RunAsync(run, null, null, cancel.Token));
        var afterKill = JournalKeys(run);

        var second = new FakeProcessor();
        var counts = await new RescoreRunner(source, second, options).RunAsync(RunFolder.Open(_root.Path, run.RunId), null, null, CancellationToken.None);
        Assert.Equal(700, JournalKeys(run).Distinct().Count());
        Assert.Equal(700, JournalKeys(run).Length);
        Assert.Equal(700 - afterKill.Length, counts.Processed);

        var changed = items.Select((item, i) => i % 7 == 0 ? item with { Version = "v2" } : item).Reverse().ToArray();
        using var previous = RecordIndex.Create(run.JournalPath, _root.Path, chunkRecords: 100);
        var rerun = new FakeProcessor();
        var rerunCounts = await new RescoreRunner(new FakeSource(changed), rerun, options).RunAsync(NewRun(source), previous, null, CancellationToken.None);
        Assert.Equal(changed.Where(i => i.Version == "v2").Select(i => i.Key).Order(StringComparer.Ordinal), rerun.Calls.Order(StringComparer.Ordinal));
        Assert.Equal(600, rerunCounts.Skipped);
    }
}
