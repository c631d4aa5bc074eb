using System.Text.Json;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

public sealed class RecordIndexTests : IDisposable
{
    private readonly TempDirectory _root = new("record-index");

    public void Dispose() => _root.Dispose();

    private static RescoreRecord Record(string key, string version = "v") =>
        new() { Key = key, Location = key, Version = version, ModelHash = "m", Status = RescoreRecord.StatusScored };

    private string Journal(IEnumerable<RescoreRecord> records) => RunJournals.Write(_root.Path, records);

    [Fact]
    public void KeysAskedInRisingOrder_AndInAnyOrder_FindExactlyTheJournalledRecords_TheLaterLineWinning()
    {
        // Even keys only, journalled shuffled, with a second line for every 10th key: 500 records over several sorted runs.
        var keys = Enumerable.Range(0, 500).Select(i => $"img-{i * 2:D5}.png").ToArray();
        var lines = keys.OrderBy(k => k.GetHashCode(StringComparison.Ordinal)).Select(k => Record(k))
            .Concat(keys.Where((_, i) => i % 10 == 0).Select(k => Record(k, "v2")));
        using var index = RecordIndex.Create(Journal(lines), _root.Path, chunkRecords: 37);
        Assert.Equal(500, index.Count);

        var asked = Enumerable.Range(0, 1001).Select(i => $"img-{i:D5}.png").Append("a.png").Append("z.png").ToArray(); // odd keys, below the first and past the last are missing
        foreach (var order in new[] { asked, asked.Reverse().ToArray(), [.. asked.OrderBy(k => k.GetHashCode(StringComparison.Ordinal))] })
        {
            foreach (var key in order)
            {
                var i = key.Length == 13 ? int.Parse(key[4..9], System.Globalization.CultureInfo.InvariantCulture) : -1;
                var expected = i is >= 0 and < 1000 && i % 2 == 0;
                Assert.Equal(expected, index.TryGet(key, out var record));
                if (expected)
                {
                    Assert.Equal(key, record!.Key);
                    Assert.Equal(i % 20 == 0 ? "v2" : "v", record.Version);
                }
            }
        }
    }

    [Fact]
    public void AMissingJournal_HasNoRecords_AndDisposeRemovesTheIndexFile()
    {
        var folder = _root.Combine("work");
        using (var index = RecordIndex.Create(_root.Combine("none.jsonl"), folder))
        {
            Assert.Equal(0, index.Count);
            Assert.False(index.TryGet("a", out _));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void AKeySortedJournal_IsReadInPlace_WithNoCopy_AndStaysWhenTheIndexIsDisposed()
    {
        var keys = Enumerable.Range(0, 300).Select(i => $"img-{i * 2:D5}.png").ToArray();
        var journal = Journal(keys.Select(k => Record(k)));
        var folder = _root.Combine("in-place");

        using (var index = RecordIndex.OfJournal(journal, folder))
        {
            Assert.True(index.InPlace);
            Assert.Equal(300, index.Count);
            Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());
            Assert.True(index.TryGet("img-00298.png", out var record, out var position));
            Assert.Equal(("img-00298.png", 149L), (record!.Key, position));
            Assert.False(index.TryGet("img-00299.png", out _));
            Assert.Equal(keys, index.Records().Select(r => r.Key));
        }

        Assert.True(File.Exists(journal));
    }

    [Theory]
    [InlineData("out of order")]
    [InlineData("a key twice")]
    [InlineData("a seen line")]
    [InlineData("a torn last line")]
    public void AJournalThatIsNotStrictlyKeySorted_IsSorted_AndGivesTheSameRecords(string flaw)
    {
        var records = Enumerable.Range(0, 200).Select(i => Record($"img-{i:D5}.png")).ToList();
        var lines = records.Select(r => JsonSerializer.Serialize(r, RescoreJsonContext.Default.RescoreRecord)).ToList();
        switch (flaw)
        {
            case "out of order": (lines[10], lines[11]) = (lines[11], lines[10]); break;
            case "a key twice": lines.Insert(50, lines[49]); break;
            case "a seen line": lines.Add("{\"seen\":\"0-9\"}"); break;
            default: lines.Add("{\"key\":\"img-zz"); break;
        }

        var journal = _root.Combine($"flawed-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(journal, string.Join('\n', lines) + (flaw == "a torn last line" ? "" : "\n"));

        using var index = RecordIndex.OfJournal(journal, _root.Combine("work"));

        Assert.False(index.InPlace);
        Assert.Equal(records.Select(r => r.Key), index.Records().Select(r => r.Key));
    }
}
