using System.Text.Json;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

public sealed class RunJournalTests : IDisposable
{
    private readonly TempDirectory _root = new("run-journal");

    public void Dispose() => _root.Dispose();

    private static RescoreRecord Record(string key) => new() { Key = key, Location = key, Version = "v", ModelHash = "m", Status = RescoreRecord.StatusScored, Quality = 0.5 };

    [Fact]
    public void ATornLastLine_IsCutOff_AndAppendingContinuesAfterTheGoodLines()
    {
        var path = _root.Combine("journal.jsonl");
        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Record("a"));
            journal.Append(Record("b"));
        }

        File.AppendAllText(path, "{\"key\":\"c\",\"loca"); // a process killed mid-write

        using (var reopened = RunJournal.Open(path))
        {
            Assert.Equal(2, reopened.OpenedCount);
            Assert.True(reopened.ContainsOpened("a") && reopened.ContainsOpened("b"));
            Assert.False(reopened.ContainsOpened("c"));
            reopened.Append(Record("c"));
        }

        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Equal(["a", "b", "c"], RunJournal.Read(path).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_ToleratesALastLineCutBetweenTwoAppendBlocks_AndReadsEveryWholeLine()
    {
        var path = _root.Combine("journal.jsonl");
        using (var journal = RunJournal.Open(path))
        {
            foreach (var key in new[] { "a", "b", "c" })
            {
                journal.Append(Record(key));
            }
        }

        // A stored journal cut where one append block ended and the next never came: mid-way through "c".
        var bytes = File.ReadAllBytes(path);
        var cut = bytes.AsSpan(0, bytes.Length - 1).LastIndexOf((byte)'\n') + 1 + 20;
        File.WriteAllBytes(path, bytes[..cut]);

        var records = RunJournal.Read(path);

        Assert.Equal(["a", "b"], records.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(cut, new FileInfo(path).Length); // Read leaves the file as it is
    }

    [Fact]
    public void ACorruptLineBeforeTheEnd_IsAnErrorNamingTheLine()
    {
        var path = _root.Combine("journal.jsonl");
        File.WriteAllText(path, "{\"key\":\"a\",\"location\":\"a\",\"version\":\"v\",\"modelHash\":\"m\",\"status\":\"scored\"}\nnot json\n");

        var error = Assert.Throws<InvalidDataException>(() => RunJournal.Read(path));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJournalPast2GiB_Opens_CutsItsTornTail_AndAppendsAfterIt()
    {
        // #19: the whole journal was copied into one MemoryStream, which stops at 2 GiB ("Stream was too long").
        var path = _root.Combine("journal.jsonl");
        var padding = new string('p', 4000);
        var lines = Enumerable.Range(0, 16)
            .Select(i => JsonLine(Record($"k{i}") with { Location = $"{padding}{i}" }))
            .ToArray();
        long good;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            for (long i = 0, written = 0; written <= int.MaxValue; i++)
            {
                var line = lines[i % lines.Length];
                file.Write(line);
                written += line.Length;
            }

            file.Write(JsonLine(Record("last")));
            good = file.Length;
            file.Write("{\"key\":\"torn\",\"loca"u8);
        }

        using (var journal = RunJournal.Open(path))
        {
            Assert.Equal(17, journal.OpenedCount);
            Assert.All(Enumerable.Range(0, 16).Select(i => $"k{i}").Append("last"), k => Assert.True(journal.ContainsOpened(k), k));
            Assert.False(journal.ContainsOpened("torn"));
            Assert.Equal(good, new FileInfo(path).Length);
            journal.Append(Record("after"));
        }

        Assert.Equal(good + JsonLine(Record("after")).Length, new FileInfo(path).Length);
        var read = RunJournal.Read(path);
        Assert.Equal(18, read.Count);
        Assert.Equal("after", read["after"].Location);
    }

    [Fact]
    public void ALineLongerThanTheLimit_IsAnErrorNamingTheLine()
    {
        var path = _root.Combine("journal.jsonl");
        using (var file = File.Create(path))
        {
            file.Write(JsonLine(Record("a")));
            file.Write(new byte[RunJournal.MaxLineBytes + 1]);
        }

        var error = Assert.Throws<InvalidDataException>(() => RunJournal.Read(path));

        Assert.Contains("line 2 is longer than", error.Message, StringComparison.Ordinal);
    }

    private static byte[] JsonLine(RescoreRecord record) =>
        [.. JsonSerializer.SerializeToUtf8Bytes(record, RescoreJsonContext.Default.RescoreRecord), (byte)'\n'];

    [Fact]
    public void TheCheckpoint_SurvivesAReload_AndAFinishedRunIsNotResumable()
    {
        var run = RunFolder.Create(_root.Path, "fake:src", "score", "m", TimeProvider.System);
        run.Save(run.State with { ContinuationToken = "token-7", PagesDone = 3 });

        var reloaded = RunFolder.FindResumable(_root.Path, "fake:src", "score", "m");
        Assert.NotNull(reloaded);
        Assert.Equal("token-7", reloaded.State.ContinuationToken);
        Assert.Null(RunFolder.FindResumable(_root.Path, "fake:src", "score", "other-model"));

        reloaded.Save(reloaded.State with { Completed = DateTimeOffset.UtcNow });
        Assert.Null(RunFolder.FindResumable(_root.Path, "fake:src", "score", "m"));
        Assert.Equal(run.RunId, RunFolder.FindPrevious(_root.Path, "fake:src", null)?.RunId);
        Assert.False(File.Exists(Path.Combine(run.Path, RunFolder.StateFile + ".tmp")));
    }

    [Fact]
    public void ACheckpointInAFolderNotNamedAfterItsRun_IsNotARun()
    {
        var run = RunFolder.Create(_root.Path, "fake:src", "score", "m", TimeProvider.System);
        var copy = Directory.CreateDirectory(_root.Combine("copied-by-hand")).FullName;
        File.Copy(Path.Combine(run.Path, RunFolder.StateFile), Path.Combine(copy, RunFolder.StateFile));

        Assert.Equal([run.RunId], RunFolder.List(_root.Path).Select(r => r.RunId));
        Assert.Throws<InvalidDataException>(() => RunFolder.Open(_root.Path, "copied-by-hand"));
    }
}
