using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// A change feed run lists only what changed. As a plain delta it would drop every image it did not
/// list; as an incremental run (<see cref="RunState.Incremental"/>) it keeps them (#19).
/// </summary>
public sealed class IncrementalRunTests : IDisposable
{
    private static readonly RunThresholds T = new(2.5, 3.0);
    private readonly TempDirectory _root = new("incremental-runs");

    public void Dispose() => _root.Dispose();

    private async Task<RunFolder> RunAsync(FakeSource source, RunFolder? baseRun, bool incremental)
    {
        var run = RunFolder.Create(_root.Path, source.Description, "score", "model-a", TimeProvider.System, baseRun, T);
        run.Save(run.State with { Incremental = incremental });
        using var previous = baseRun is null ? null : Index(baseRun, run.ScratchPath);
        await new RescoreRunner(source, new FakeProcessor(), new RescoreRunOptions { PageSize = 50 }).RunAsync(run, previous, null, CancellationToken.None);
        run.Save(run.State with { Completed = DateTimeOffset.UtcNow });
        return run;
    }

    private RecordIndex Index(RunFolder run, string work)
    {
        using var records = RunRecords.Open(_root.Path, run, work);
        return RecordIndex.Create(records.Records(), work);
    }

    private List<RescoreRecord> Resolved(RunFolder run)
    {
        using var records = RunRecords.Open(_root.Path, run, _root.Combine("work"));
        return records.Records().ToList();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ARunListingOnlyTheChangedImages_KeepsTheOthersOnlyWhenIncremental(bool incremental)
    {
        var items = FakeSource.WithItems(300).ListAll().ToList();
        var full = await RunAsync(new FakeSource(items), null, incremental: false);
        var changes = items.Where((_, i) => i % 10 == 0).Select(i => i with { Version = "v2" })
            .Append(new RescoreItem("img-99999.png", "mem://new", 1, "v1", "p"))
            .ToList();

        var night = await RunAsync(new FakeSource(changes), full, incremental);

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
        var full = await RunAsync(FakeSource.WithItems(10), null, incremental: false);
        var night = await RunAsync(new FakeSource([]), full, incremental: true);

        var reopened = RunFolder.Open(_root.Path, night.RunId);

        Assert.True(reopened.State.Incremental);
        Assert.Equal(10, Resolved(reopened).Count);
    }
}
