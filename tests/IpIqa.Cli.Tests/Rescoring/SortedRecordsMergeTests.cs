using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The external sort merges with a bounded fan-in: many sorted runs are merged in passes, never all open at once (#19).</summary>
public sealed class SortedRecordsMergeTests : IDisposable
{
    private readonly TempDirectory _root = new("sorted-merge");

    public void Dispose() => _root.Dispose();

    private static RescoreRecord Record(string key, string version) =>
        new() { Key = key, Location = key, Version = version, ModelHash = "m", Status = RescoreRecord.StatusScored };

    private string Journal(IEnumerable<RescoreRecord> records) => RunJournals.Write(_root.Path, records);

    [Fact]
    public void AJournalOfAThousandSortedRuns_KeepsAtMost64RunFilesForTheMerge()
    {
        // 10,000 lines in runs of 10: 1,000 runs, which a single merge would open all at once.
        var random = new Random(3);
        var path = Journal(Enumerable.Range(0, 10_000).Select(i => Record($"k/{random.Next(8_000):D5}", $"v{i}")));
        var work = Directory.CreateDirectory(_root.Combine("work")).FullName;

        using var sorted = SortedRecords.Create(path, work, chunkRecords: 10);

        Assert.InRange(Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Count(), 1, 64);
        Assert.Equal(RunJournal.Read(path).Count, sorted.Records().Count());
    }

    [Fact]
    public void ASmallFanIn_ForcesSeveralPasses_AndTheLaterLineStillWins()
    {
        // Every key is journalled three times, far apart, so its lines land in runs merged in different groups.
        var keys = Enumerable.Range(0, 700).Select(i => $"img-{(i * 7919) % 700:D4}.png").ToArray();
        var lines = keys.Select(k => Record(k, "first")).Concat(keys.Reverse().Select(k => Record(k, "second"))).Concat(keys.Select(k => Record(k, "last")));
        var path = Journal(lines);
        var work = Directory.CreateDirectory(_root.Combine("work")).FullName;

        using var sorted = SortedRecords.Create(path, work, chunkRecords: 13, fanIn: 3);

        Assert.True(sorted.Passes >= 4, $"{sorted.Passes} passes");
        Assert.InRange(sorted.Runs, 1, 3);
        var merged = sorted.Records().ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), merged.Select(r => r.Key));
        Assert.All(merged, r => Assert.Equal("last", r.Version));
        Assert.InRange(Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Count(), 1, 3);
    }
}
