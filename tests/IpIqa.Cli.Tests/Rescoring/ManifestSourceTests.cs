using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

public sealed class ManifestSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new("manifest-source");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AJsonlManifest_PagesByIndex_AndReportsABadLineAndAMissingPromptByCode()
    {
        File.WriteAllBytes(_temp.Combine("a.png"), [1, 2, 3, 4]);
        var manifest = _temp.Combine("gallery.jsonl");
        File.WriteAllLines(manifest, [
            "{\"image\":\"a.png\",\"prompt\":\"a cat\"}",
            "{\"image\":\"b.png\"}",
            "not json",
            "{\"image\":\"c.png\",\"prompt\":\"a car\"}",
        ]);
        var source = new ManifestSource(manifest);

        var pages = await source.ListAsync(null, 3, CancellationToken.None).ToListAsync();
        var items = pages.SelectMany(p => p.Items).ToArray();

        Assert.Equal("3", pages[0].ContinuationToken);
        Assert.Equal(["a.png", "b.png", "#3", "c.png"], items.Select(i => i.Key));
        Assert.Equal(4, items[0].Size);
        Assert.Null(items[0].ProblemCode);
        Assert.Equal(ErrorCodes.PromptMissing, items[1].ProblemCode);
        Assert.Equal(ErrorCodes.MessageInvalid, items[2].ProblemCode);
        Assert.Contains("line 3", items[2].Problem, StringComparison.Ordinal);
        Assert.Equal(["c.png"], (await source.ListAsync("3", 3, CancellationToken.None).ToListAsync()).SelectMany(p => p.Items).Select(i => i.Key));
    }

    [Fact]
    public async Task AParquetManifest_PagesByIndex_AndReportsANullPromptAsMissing()
    {
        File.WriteAllBytes(_temp.Combine("a.png"), [1, 2, 3]);
        var manifest = _temp.Combine("gallery.parquet");
        await Scoring.ParquetFiles.WriteStringsAsync(manifest, ["image", "prompt"], [["a.png", "a cat"], ["b.png", null]], [[null, "no image"]]);
        var source = new ManifestSource(manifest);

        var pages = await source.ListAsync(null, 2, CancellationToken.None).ToListAsync();
        var items = pages.SelectMany(p => p.Items).ToArray();

        Assert.Equal("2", pages[0].ContinuationToken);
        Assert.Equal(["a.png", "b.png", "#3"], items.Select(i => i.Key));
        Assert.Equal(3, items[0].Size);
        Assert.Equal(ErrorCodes.PromptMissing, items[1].ProblemCode);
        Assert.Equal(ErrorCodes.MessageInvalid, items[2].ProblemCode);
        Assert.Contains("row 3", items[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRunner_ReportsABadLineWithItsOwnCode()
    {
        var manifest = _temp.Combine("gallery.jsonl");
        File.WriteAllLines(manifest, ["{\"image\": 5}"]);
        var source = new ManifestSource(manifest);
        var run = RunFolder.Create(_temp.Combine("runs"), source.Description, "score", "m", TimeProvider.System);

        await new RescoreRunner(source, new NeverProcessor(), new()).RunAsync(run, null, null, CancellationToken.None);

        var record = Assert.Single(RunJournal.Read(run.JournalPath).Values);
        Assert.Equal(ErrorCodes.MessageInvalid, record.ErrorCode);
        Assert.Contains("line 1", record.ErrorMessage, StringComparison.Ordinal);
    }

    private sealed class NeverProcessor : IRescoreProcessor
    {
        public int MaxInFlight => 1;

        public string ModelHash => "m";

        public RescoreRecord CarryForward(RescoreRecord earlier, RescoreItem item) => throw new InvalidOperationException("nothing is carried");

        public bool IsDone(RescoreRecord earlier) => false;

        public Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken) => throw new InvalidOperationException($"'{item.Key}' should not be processed");
    }
}
