using System.Text.Json;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// Measures the process's managed heap, so it runs alone: a test class running beside it allocates on
/// the same heap, and <see cref="GC.GetTotalMemory"/> counts that too.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class RunJournalMemoryTests : IDisposable
{
    private readonly TempDirectory _root = new("run-journal-memory");

    public void Dispose() => _root.Dispose();

    private static RescoreRecord Record(string key) => new() { Key = key, Location = key, Version = "v", ModelHash = "m", Status = RescoreRecord.StatusScored, Quality = 0.5 };

    [Fact]
    public void OpeningALargeJournal_HoldsNoRecordsInMemory()
    {
        // #19: a resumed run looked up its journal's keys in a dictionary of every record; now they stay on disk.
        var path = _root.Combine("journal.jsonl");
        using (var file = new StreamWriter(path))
        {
            for (var i = 0; i < 100_000; i++)
            {
                file.WriteLine(JsonSerializer.Serialize(Record($"images/{i:D7}.png") with { Prompt = new string('p', 200) }, RescoreJsonContext.Default.RescoreRecord));
            }
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var journal = RunJournal.Open(path);
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.True(journal.ContainsOpened("images/0054321.png"));
        Assert.InRange(held, long.MinValue, 8L << 20); // the sparse index: a key per 64 records, far below the 100,000 records (> 40 MB)
    }
}
