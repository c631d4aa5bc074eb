using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The end of a run reads its journals as streams: sorted on disk and merged, the worst images kept in a bounded heap, the report summed one record at a time (#19).</summary>
public sealed class StreamedResultsTests : IDisposable
{
    private readonly TempDirectory _root = new("streamed-results");

    public void Dispose() => _root.Dispose();

    private static RescoreRecord Record(string key, double? quality, string verdict = "pass", string? error = null) => new()
    {
        Key = key,
        Location = "/g/" + key,
        Version = "v",
        ModelHash = "m",
        Status = error is null ? RescoreRecord.StatusScored : RescoreRecord.StatusFailed,
        Quality = quality,
        Alignment = quality is null ? null : 1 - quality,
        Verdict = quality is null ? null : verdict,
        ErrorCode = error,
        ErrorMessage = error is null ? null : "failed " + key,
    };

    private string Journal(IEnumerable<RescoreRecord> records) => RunJournals.Write(_root.Path, records);

    [Fact]
    public void AShuffledJournal_SortedInSmallRuns_MergesToOneRecordPerKey_InKeyOrder_TheLaterLineWinning()
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, 2_500).Select(i => Record($"k/{random.Next(2_000):D5}.png", random.NextDouble())).ToList();
        var path = Journal(lines);
        var work = Directory.CreateDirectory(_root.Combine("work")).FullName;

        using (var sorted = SortedRecords.Create(path, work, chunkRecords: 97))
        {
            var merged = sorted.Records().ToList();

            var expected = RunJournal.Read(path).Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            Assert.Equal(2_500, sorted.Lines);
            Assert.Equal(expected.Select(r => r.Key), merged.Select(r => r.Key));
            Assert.Equal(expected.Select(r => r.Quality), merged.Select(r => r.Quality));
            Assert.Equal(lines.Select(r => r.Key).Distinct().Count(), merged.Count);
            Assert.Equal(merged.Select(r => r.Key), sorted.Records().Select(r => r.Key)); // a second enumeration merges again
            Assert.True(Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Count() >= 2_500 / 97);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }

    [Fact]
    public void AMissingJournal_HasNoRecords()
    {
        using var sorted = SortedRecords.Create(_root.Combine("none.jsonl"), _root.Path);
        Assert.Empty(sorted.Records());
    }

    [Fact]
    public void TheWorstImages_FromABoundedHeap_AreTheLowestQualities_TiesByKey()
    {
        var random = new Random(9);
        var records = Enumerable.Range(0, 3_000)
            .Select(i => Record($"{random.Next():D10}.png", i % 50 == 0 ? null : Math.Round(random.NextDouble(), 2)))
            .ToList();

        foreach (var count in new[] { 0, 1, 12, 5_000 })
        {
            var expected = records.Where(r => r.Quality is not null).OrderBy(r => r.Quality).ThenBy(r => r.Key, StringComparer.Ordinal).Take(count);
            Assert.Equal(expected.Select(r => r.Key), ReportThumbnails.Worst(records, count).Select(r => r.Key));
        }
    }

    [Fact]
    public void TheSummary_JoinsTheRunsOnKey_AndMatchesTheWholeSetFigures()
    {
        var random = new Random(3);
        var now = Enumerable.Range(0, 5_000).Where(i => i % 7 != 0)
            .Select(i => i % 31 == 0 ? Record($"{i:D6}", null, error: i % 2 == 0 ? "image_undecodable" : "prompt_missing") : Record($"{i:D6}", random.NextDouble(), random.Next(2) == 0 ? "pass" : "fail"))
            .ToList();
        var then = Enumerable.Range(0, 5_000).Where(i => i % 5 != 0)
            .Select(i => Record($"{i:D6}", random.NextDouble() * 0.8, random.Next(2) == 0 ? "pass" : "fail"))
            .ToList();

        var summary = ReportSummary.Of(now, then);

        var before = then.ToDictionary(r => r.Key);
        var scored = now.Where(r => r.Quality is not null).ToList();
        Assert.Equal(now.Count, summary.Total);
        Assert.Equal(scored.Count, summary.Scored);
        Assert.Equal(scored.Count(r => before.ContainsKey(r.Key)), summary.InBoth);
        Assert.Equal(scored.Count(r => before.TryGetValue(r.Key, out var p) && p.Verdict != r.Verdict), summary.VerdictsChanged);
        Assert.Equal(scored.Average(r => r.Quality!.Value), summary.Quality.Mean, 1e-9);
        Assert.Equal(then.Average(r => r.Quality!.Value), summary.QualityThen.Mean, 1e-9);
        Assert.Equal(Median(scored.Select(r => r.Quality!.Value)), summary.Quality.Median(), 1e-3);
        Assert.Equal(Median(then.Select(r => r.Alignment!.Value)), summary.AlignmentThen.Median(), 1e-3);
        Assert.Equal(ReportBins.Histogram(scored.Select(r => r.Quality!.Value), summary.QualityRange.Low, summary.QualityRange.High), summary.QualityNow);
        Assert.Equal(scored.Count, summary.Density.Sum());
        var failures = summary.Failures.ToList();
        Assert.Equal(now.Where(r => r.ErrorCode is not null).GroupBy(r => r.ErrorCode).OrderByDescending(g => g.Count()).Select(g => (g.Key!, (long)g.Count(), g.First().Key)),
            failures.Select(f => (f.Code, f.Count, f.Example.Key)));
    }

    [Fact]
    public void RecordsOutOfKeyOrder_AreRefused_RatherThanJoinedWrongly()
    {
        var error = Assert.Throws<ArgumentException>(() => ReportSummary.Of([Record("b", 0.5), Record("a", 0.5)], null));
        Assert.Contains("'a' follows 'b'", error.Message, StringComparison.Ordinal);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
