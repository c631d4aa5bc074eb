using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Rescoring;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>The blob run store on Azurite: journal deltas in whole-line append blocks, checkpoints after them, repair, a second writer.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobRunStoreTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDirectory _temp = new("blob-run-store");

    public void Dispose() => _temp.Dispose();

    private (BlobRunStore Store, BlobContainerClient Container, RequestPacer Pacer) NewStore(string? name = null)
    {
        var pacer = new RequestPacer(0);
        var options = new BlobClientOptions();
        BlobRunStore.AddPacing(options, pacer);
        var container = new BlobServiceClient(azurite.ConnectionString, options)
            .GetBlobContainerClient(name ?? $"runs-{Guid.NewGuid():N}");
        return (new BlobRunStore(container), container, pacer);
    }

    private static RescoreRecord Record(int i, int promptLength = 40) => new()
    {
        Key = $"img-{i:D6}.png",
        Location = $"mem://img-{i:D6}.png",
        Version = "v1",
        Prompt = new string('p', promptLength),
        ModelHash = "model",
        Status = RescoreRecord.StatusScored,
        Quality = 0.5,
    };

    private static void Journal(RunFolder run, IEnumerable<RescoreRecord> records)
    {
        using var journal = RunJournal.Open(run.JournalPath);
        foreach (var record in records)
        {
            journal.Append(record);
        }
    }

    private static async Task<byte[]> Stored(BlobContainerClient container, string name) =>
        (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    [RequiresNodeFact]
    public async Task Checkpoints_AppendOnlyTheNewLines_InBlocksOfAtMost4MiB_ThenTheCheckpoint_EachRequestPaced()
    {
        var (store, container, pacer) = NewStore();
        Assert.Equal($"created container {container.Name}", await store.EnsureReadyAsync(CancellationToken.None));
        var run = RunFolder.Create(_temp.Combine("runs"), "fake:gallery", "score", "model", TimeProvider.System);
        await store.OpenAsync(run, CancellationToken.None);
        Assert.Equal(0, (await container.GetAppendBlobClient($"{run.RunId}/journal.jsonl").GetPropertiesAsync()).Value.ContentLength);
        Assert.Equal(run.RunId, JsonDocument.Parse(await Stored(container, $"{run.RunId}/run.json")).RootElement.GetProperty("runId").GetString());

        Journal(run, Enumerable.Range(0, 4_500).Select(i => Record(i, promptLength: 2_000))); // about 9.3 MiB
        run.Save(run.State with { ContinuationToken = "page-1", PagesDone = 1 });
        await store.PushCheckpointAsync(run, CancellationToken.None);

        var journal = container.GetAppendBlobClient($"{run.RunId}/journal.jsonl");
        var properties = (await journal.GetPropertiesAsync()).Value;
        Assert.Equal(3, properties.BlobCommittedBlockCount);
        Assert.Equal(File.ReadAllBytes(run.JournalPath), await Stored(container, $"{run.RunId}/journal.jsonl"));
        Assert.Equal(1, JsonDocument.Parse(await Stored(container, $"{run.RunId}/run.json")).RootElement.GetProperty("pagesDone").GetInt32());

        Journal(run, Enumerable.Range(4_500, 10).Select(i => Record(i)));
        run.Save(run.State with { ContinuationToken = "page-2", PagesDone = 2 });
        var before = pacer.Taken;
        await store.PushCheckpointAsync(run, CancellationToken.None);

        Assert.Equal(before + 2, pacer.Taken); // one append block, then run.json
        Assert.Equal(4, (await journal.GetPropertiesAsync()).Value.BlobCommittedBlockCount);
        Assert.Equal(File.ReadAllBytes(run.JournalPath), await Stored(container, $"{run.RunId}/journal.jsonl"));
        Assert.Equal("page-2", JsonDocument.Parse(await Stored(container, $"{run.RunId}/run.json")).RootElement.GetProperty("continuationToken").GetString());
    }

    [RequiresNodeFact]
    public async Task AFreshRunsRoot_GetsEveryStoredCheckpoint_AndTheOpenedRunsJournal_AndAppendsGoOnFromItsEnd()
    {
        var (store, container, _) = NewStore();
        await store.EnsureReadyAsync(CancellationToken.None);
        var run = RunFolder.Create(_temp.Combine("first"), "fake:gallery", "score", "model", TimeProvider.System);
        await store.OpenAsync(run, CancellationToken.None);
        Journal(run, Enumerable.Range(0, 100).Select(i => Record(i)));
        run.Save(run.State with { ContinuationToken = "100", PagesDone = 1 });
        await store.PushCheckpointAsync(run, CancellationToken.None);
        await container.GetBlobClient("notes/readme.txt").UploadAsync(BinaryData.FromString("not a run"));

        var (fresh, _, _) = NewStore(container.Name);
        var root = _temp.Combine("second");
        await fresh.PullCheckpointsAsync(root, CancellationToken.None);
        var resumed = RunFolder.FindResumable(root, "fake:gallery", "score", "model");
        Assert.NotNull(resumed);
        Assert.Equal(run.RunId, resumed.RunId);
        Assert.Equal([run.RunId], Directory.GetDirectories(root).Select(Path.GetFileName));
        await fresh.OpenAsync(resumed, CancellationToken.None);
        Assert.Equal(100, RunJournal.Read(resumed.JournalPath).Count);

        Journal(resumed, Enumerable.Range(100, 50).Select(i => Record(i)));
        resumed.Save(resumed.State with { ContinuationToken = "150", PagesDone = 2 });
        await fresh.PushCheckpointAsync(resumed, CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(resumed.JournalPath), await Stored(container, $"{run.RunId}/journal.jsonl"));
        Assert.Equal(150, File.ReadAllLines(resumed.JournalPath).Length);
    }

    [RequiresNodeFact]
    public async Task TheCompletedRun_StoresItsExplanations_BesideTheReport_BeforeTheFinalCheckpoint()
    {
        var (store, container, _) = NewStore();
        await store.EnsureReadyAsync(CancellationToken.None);
        var run = RunFolder.Create(_temp.Combine("runs"), "fake:gallery", "score", "model", TimeProvider.System);
        await store.OpenAsync(run, CancellationToken.None);
        Journal(run, Enumerable.Range(0, 10).Select(i => Record(i)));
        File.WriteAllText(run.ReportPath, "<!DOCTYPE html>");
        var folder = Directory.CreateDirectory(Path.Combine(run.Path, ReportExplanations.FolderName)).FullName;
        var files = new Dictionary<string, byte[]>
        {
            ["img-000001.overlay.png"] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3],
            ["img-000001.attention.json"] = Encoding.UTF8.GetBytes("{\"grid\":7}"),
            [ExplanationIndex.FileName] = Encoding.UTF8.GetBytes("{\"key\":\"img-000001.png\"}\n"),
        };
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        run.Save(run.State with { Completed = DateTimeOffset.UtcNow });
        await store.PushCompletedAsync(run, CancellationToken.None);

        foreach (var (name, bytes) in files)
        {
            Assert.Equal(bytes, await Stored(container, $"{run.RunId}/{ReportExplanations.FolderName}/{name}"));
        }

        Assert.Equal("image/png", (await container.GetBlobClient($"{run.RunId}/{ReportExplanations.FolderName}/img-000001.overlay.png").GetPropertiesAsync()).Value.ContentType);
        Assert.True(JsonDocument.Parse(await Stored(container, $"{run.RunId}/run.json")).RootElement.TryGetProperty("completed", out _));
    }

    [RequiresNodeFact]
    public async Task AStoredJournalEndingInPartOfALine_IsWrittenAgainWithItsWholeLines_AndTheCheckpointIsKept()
    {
        var (store, container, _) = NewStore();
        await store.EnsureReadyAsync(CancellationToken.None);
        var run = RunFolder.Create(_temp.Combine("first"), "fake:gallery", "score", "model", TimeProvider.System);
        await store.OpenAsync(run, CancellationToken.None);
        Journal(run, Enumerable.Range(0, 20).Select(i => Record(i)));
        run.Save(run.State with { ContinuationToken = "20", PagesDone = 2 });
        await store.PushCheckpointAsync(run, CancellationToken.None);
        var whole = File.ReadAllBytes(run.JournalPath);

        // The first block of a line longer than a block landed; the process died before the next one.
        var journal = container.GetAppendBlobClient($"{run.RunId}/journal.jsonl");
        await journal.AppendBlockAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"key\":\"img-000020.png\",\"location\":\"mem")));

        var root = _temp.Combine("second");
        var (fresh, _, _) = NewStore(container.Name);
        await fresh.PullCheckpointsAsync(root, CancellationToken.None);
        var resumed = RunFolder.Open(root, run.RunId);
        await fresh.OpenAsync(resumed, CancellationToken.None);

        Assert.Equal(whole, await Stored(container, $"{run.RunId}/journal.jsonl"));
        Assert.Equal(whole, File.ReadAllBytes(resumed.JournalPath));
        Assert.Equal(2, JsonDocument.Parse(await Stored(container, $"{run.RunId}/run.json")).RootElement.GetProperty("pagesDone").GetInt32());

        Journal(resumed, [Record(20)]);
        resumed.Save(resumed.State with { ContinuationToken = "30", PagesDone = 3 });
        await fresh.PushCheckpointAsync(resumed, CancellationToken.None);
        Assert.Equal(21, RunJournal.Read(resumed.JournalPath).Count);
        Assert.Equal(File.ReadAllBytes(resumed.JournalPath), await Stored(container, $"{run.RunId}/journal.jsonl"));
    }

    [RequiresNodeFact]
    public async Task ASecondWriterOfTheSameRun_IsStopped_InsteadOfInterleavingLines()
    {
        var (store, container, _) = NewStore();
        await store.EnsureReadyAsync(CancellationToken.None);
        var run = RunFolder.Create(_temp.Combine("first"), "fake:gallery", "score", "model", TimeProvider.System);
        await store.OpenAsync(run, CancellationToken.None);

        var root = _temp.Combine("second");
        var (other, _, _) = NewStore(container.Name);
        await other.PullCheckpointsAsync(root, CancellationToken.None);
        var twin = RunFolder.Open(root, run.RunId);
        await other.OpenAsync(twin, CancellationToken.None);

        Journal(run, Enumerable.Range(0, 10).Select(i => Record(i)));
        await store.PushCheckpointAsync(run, CancellationToken.None);
        Journal(twin, Enumerable.Range(100, 10).Select(i => Record(i)));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => other.PushCheckpointAsync(twin, CancellationToken.None));

        Assert.Contains("another process is writing", error.Message, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(run.JournalPath), await Stored(container, $"{run.RunId}/journal.jsonl"));
    }
}
