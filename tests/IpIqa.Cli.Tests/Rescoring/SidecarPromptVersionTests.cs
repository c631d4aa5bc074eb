using System.Text.Json;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A folder rerun reads a prompt sidecar only when its length or write time differs from the previous run's record (#19).</summary>
public sealed class SidecarPromptVersionTests : IDisposable
{
    private readonly TempDirectory _root = new("sidecar-version");

    public void Dispose() => _root.Dispose();

    private string Gallery => Path.Combine(_root.Path, "g");

    [Fact]
    public async Task ARerun_TakesAnUnchangedSidecarsPromptFromThePreviousRun_AndReadsAChangedOne()
    {
        var (source, first) = await FirstRunAsync();
        Assert.All(RunJournal.Read(first.JournalPath).Values, r => Assert.Equal(VersionOf($"img-{r.Key[4..9]}.txt"), r.PromptVersion));

        // Same length, same write time, other text: the version says unchanged, so the rerun must not read it.
        RewriteKeepingTime("img-00001.txt", "a dog");
        // Other text and a new write time: read again, and rescored since its prompt changed.
        File.WriteAllText(Path.Combine(Gallery, "img-00002.txt"), "a red car");
        File.SetLastWriteTimeUtc(Path.Combine(Gallery, "img-00002.txt"), DateTime.UtcNow.AddMinutes(1));
        using var previous = RecordIndex.Create(first.JournalPath, _root.Combine("work"));

        var processor = new FakeProcessor();
        var second = NewRun(source);
        var counts = await new RescoreRunner(source, processor, new()).RunAsync(second, previous, null, CancellationToken.None);

        Assert.Equal(["img-00002.png"], processor.Calls);
        Assert.Equal(2, counts.Skipped);
        var records = RunJournal.Read(second.JournalPath);
        Assert.Equal("a cat", records["img-00001.png"].Prompt);
        Assert.Equal("a red car", records["img-00002.png"].Prompt);
        Assert.Equal(VersionOf("img-00002.txt"), records["img-00002.png"].PromptVersion);
    }

    [Fact]
    public async Task ARecordWithNoPromptVersion_ComparesThePromptHash_AndTheCarriedRecordGainsTheVersion()
    {
        var (source, first) = await FirstRunAsync();
        // A journal written before prompt versions were recorded.
        var old = _root.Combine("old.jsonl");
        File.WriteAllLines(old, RunJournal.Read(first.JournalPath).Values.Select(r => JsonSerializer.Serialize(r with { PromptVersion = null }, RescoreJsonContext.Default.RescoreRecord)));
        Assert.DoesNotContain("promptVersion", File.ReadAllText(old), StringComparison.Ordinal);
        RewriteKeepingTime("img-00001.txt", "a dog");
        using var previous = RecordIndex.Create(old, _root.Combine("work"));

        var processor = new FakeProcessor();
        var second = NewRun(source);
        await new RescoreRunner(source, processor, new()).RunAsync(second, previous, null, CancellationToken.None);

        Assert.Equal(["img-00001.png"], processor.Calls); // no version to trust: the text was read, and it changed
        var records = RunJournal.Read(second.JournalPath);
        Assert.True(records["img-00000.png"].Skipped);
        Assert.Equal(VersionOf("img-00000.txt"), records["img-00000.png"].PromptVersion);
    }

    [Fact]
    public async Task ALinkedSidecar_HasNoVersion_AndIsReadEveryTime()
    {
        Directory.CreateDirectory(Gallery);
        File.WriteAllBytes(Path.Combine(Gallery, "img-00000.png"), [1, 2, 3]);
        File.WriteAllText(_root.Combine("prompt.txt"), "a dog");
        File.CreateSymbolicLink(Path.Combine(Gallery, "img-00000.txt"), _root.Combine("prompt.txt"));

        var item = (await new LocalFolderSource(Gallery).ListAsync(null, 10, CancellationToken.None).ToListAsync()).Single().Items.Single();

        Assert.Null(item.PromptVersion);
        Assert.Equal("a dog", item.Prompt);
    }

    private async Task<(LocalFolderSource Source, RunFolder Run)> FirstRunAsync()
    {
        Directory.CreateDirectory(Gallery);
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllBytes(Path.Combine(Gallery, $"img-{i:D5}.png"), [1, 2, 3, (byte)i]);
            File.WriteAllText(Path.Combine(Gallery, $"img-{i:D5}.txt"), "a cat");
        }

        var source = new LocalFolderSource(Gallery);
        var run = NewRun(source);
        await new RescoreRunner(source, new FakeProcessor(), new()).RunAsync(run, null, null, CancellationToken.None);
        return (source, run);
    }

    private RunFolder NewRun(LocalFolderSource source) => RunFolder.Create(_root.Combine("runs"), source.Description, "score", "model-a", TimeProvider.System);

    private void RewriteKeepingTime(string name, string text)
    {
        var path = Path.Combine(Gallery, name);
        var (length, written) = (new FileInfo(path).Length, File.GetLastWriteTimeUtc(path));
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, written);
        Assert.Equal(length, new FileInfo(path).Length);
    }

    private string VersionOf(string name)
    {
        var file = new FileInfo(Path.Combine(Gallery, name));
        return $"{file.Length}-{file.LastWriteTimeUtc.Ticks}";
    }
}
