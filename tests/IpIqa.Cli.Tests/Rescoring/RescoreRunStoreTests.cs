using System.Text.Json;
using Azure.Storage.Blobs;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// <c>ipiqa rescore --runs-container</c> on Azurite, each run from a new empty <c>--runs</c> folder
/// (a scheduled job's disk): killed, resumed from the container, then run again with everything skipped.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RescoreRunStoreTests(AzuriteFixture azurite, ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const int Count = 600;
    private const int OrphanEvery = 150;
    private const int PageSize = 100;
    private readonly TempDirectory _temp = new("rescore-run-store");

    public void Dispose() => _temp.Dispose();

    private RescoreSettings Settings(string gallery, BlobContainerClient runs, string disk) => new()
    {
        Model = reference.Folder,
        RunsRoot = _temp.Combine(disk),
        RunsContainer = runs.Uri,
        Container = gallery,
        Prefix = "night/",
        ConnectionString = azurite.ConnectionString,
        PageSize = PageSize,
        BatchSize = 16,
        Threads = 1,
        Provider = ExecutionProvider.Cpu,
    };

    [AzuriteAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task AKilledRun_ResumesFromTheContainerOnAnEmptyDisk_AndTheNextRunSkipsEverything()
    {
        var gallery = await BlobGallery.CreateAsync(azurite.ConnectionString, Count, OrphanEvery);
        var runs = new BlobContainerClient(azurite.ConnectionString, $"ipiqa-runs-{Guid.NewGuid():N}"); // not created: the run creates it
        var first = Settings(gallery.Name, runs, "disk-1");
        using var output = new StringWriter();
        using var kill = new CancellationTokenSource();
        // Cancel mid-page once a couple of pages are checkpointed.
        var watcher = RunJournals.CancelWhenJournalledAsync(first.RunsRoot, (2 * PageSize) + 50, kill);

        var killed = await RescoreCommandRunner.RunAsync(first, output, kill.Token);
        await kill.CancelAsync();
        await watcher;

        Assert.Equal(ExitCodes.Interrupted, killed);
        Assert.Contains($"created container {runs.Name}", output.ToString(), StringComparison.Ordinal);
        var runId = Path.GetFileName(Directory.GetDirectories(first.RunsRoot).Single());
        var checkpoint = await StoredJson(runs, $"{runId}/run.json");
        var pagesDone = checkpoint.GetProperty("pagesDone").GetInt32();
        Assert.InRange(pagesDone, 2, (Count / PageSize) - 1);
        Assert.Equal(pagesDone * PageSize, await StoredLines(runs, $"{runId}/journal.jsonl")); // the stored journal covers exactly the stored checkpoint
        Assert.False(await runs.GetBlobClient($"{runId}/results.csv").ExistsAsync());

        using var resumedOutput = new StringWriter();
        var second = Settings(gallery.Name, runs, "disk-2");
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(second, resumedOutput, CancellationToken.None));

        Assert.Contains($"run {runId} (resumed)", resumedOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal([runId], Directory.GetDirectories(second.RunsRoot).Select(Path.GetFileName));
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(second.RunsRoot, runId, "results.csv"));
        Assert.Equal(Count, rows.Count);
        Assert.Equal(Count, rows.Select(r => r["key"]).Distinct().Count());
        Assert.Equal(Count / OrphanEvery, rows.Count(r => r["error_code"] == ErrorCodes.PromptMissing));
        Assert.Equal(Count, File.ReadAllLines(Path.Combine(second.RunsRoot, runId, "journal.jsonl")).Length);
        Assert.Equal(Count, await StoredLines(runs, $"{runId}/journal.jsonl"));
        Assert.Equal(Count + 1, await StoredLines(runs, $"{runId}/results.csv")); // header and one row per image
        Assert.NotEqual(JsonValueKind.Null, (await StoredJson(runs, $"{runId}/run.json")).GetProperty("completed").ValueKind);

        using var againOutput = new StringWriter();
        var third = Settings(gallery.Name, runs, "disk-3");
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(third, againOutput, CancellationToken.None));

        var withPrompt = Count - (Count / OrphanEvery);
        Assert.Contains($"{withPrompt} skipped", againOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{Count / OrphanEvery} scored now ({Count / OrphanEvery} failed)", againOutput.ToString(), StringComparison.Ordinal);
        var nextRunId = Directory.GetDirectories(third.RunsRoot).Select(Path.GetFileName).Single(id => id != runId);
        var report = (await runs.GetBlobClient($"{nextRunId}/report.html").DownloadContentAsync()).Value.Content.ToString();
        Assert.Contains($"Drift since run {runId}", report, StringComparison.Ordinal); // the previous run's journal came from the container too

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in runs.GetBlobsAsync())
        {
            stored.Add(blob.Name);
        }

        foreach (var file in new[] { "run.json", "journal.jsonl", "results.csv", "results.parquet", "report.html" })
        {
            Assert.Contains($"{runId}/{file}", stored);
        }

        // The next run holds only its changes (the images with no prompt, failed again), not the full table (#19).
        Assert.Equal([$"{nextRunId}/journal.jsonl", $"{nextRunId}/report.html", $"{nextRunId}/run.json"], stored.Where(n => n.StartsWith(nextRunId + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var nextJournal = (await runs.GetBlobClient($"{nextRunId}/journal.jsonl").DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count / OrphanEvery, nextJournal.Count(l => !l.StartsWith("{\"seen\":", StringComparison.Ordinal)));
    }

    [AzuriteAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ExportFromAnEmptyDisk_HasTheExplanationColumnsOfTheStoredRun()
    {
        const int images = 6;
        var gallery = await BlobGallery.CreateAsync(azurite.ConnectionString, images, images + 1);
        var runs = new BlobContainerClient(azurite.ConnectionString, $"ipiqa-runs-{Guid.NewGuid():N}");
        // A quality threshold above every score rejects every image, so --explain 2 explains two of them.
        var explained = Settings(gallery.Name, runs, "disk-1") with { QualityThreshold = "1000", ExplainCount = 2 };
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(explained, output, CancellationToken.None));
        var runId = Path.GetFileName(Directory.GetDirectories(explained.RunsRoot).Single());
        var expected = RescoreFolderTests.ReadCsv(Path.Combine(explained.RunsRoot, runId, "results.csv"))
            .Where(r => r["explanation_overlay"].Length > 0).Select(r => r["key"]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, expected.Length);
        await AssertNameStoredExplanations(runs, runId, Path.Combine(explained.RunsRoot, runId, "results.csv"));

        var export = Settings(gallery.Name, runs, "disk-2") with { QualityThreshold = "1000", Export = runId };
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(export, output, CancellationToken.None));

        var rows = RescoreFolderTests.ReadCsv(Path.Combine(export.RunsRoot, runId, "results.csv"));
        Assert.Equal(images, rows.Count);
        Assert.Equal(expected, rows.Where(r => r["explanation_overlay"].Length > 0).Select(r => r["key"]).Order(StringComparer.Ordinal));
        await AssertNameStoredExplanations(runs, runId, Path.Combine(export.RunsRoot, runId, "results.csv"));
    }

    /// <summary>The explanation columns of <paramref name="results"/> name the stored files (the local folder ends with the process), and they are stored.</summary>
    private static async Task AssertNameStoredExplanations(BlobContainerClient runs, string runId, string results)
    {
        var named = RescoreFolderTests.ReadCsv(results).Where(r => r["explanation_overlay"].Length > 0).SelectMany(r => new[] { r["explanation_overlay"], r["explanation_attention"] }).ToArray();
        Assert.Equal(4, named.Length);
        foreach (var uri in named)
        {
            Assert.StartsWith($"{runs.Uri}/{runId}/explanations/", uri, StringComparison.Ordinal);
            Assert.True(await runs.GetBlobClient(uri[(runs.Uri.ToString().Length + 1)..]).ExistsAsync(), uri);
        }
    }

    [AzuriteAndFixturesFact]
    public async Task StoredExplanationIndex_OverTheBoundOrNotJson_IsRefused_AndTheLocalCopyIsKept()
    {
        var runs = new BlobContainerClient(azurite.ConnectionString, $"ipiqa-runs-{Guid.NewGuid():N}");
        await runs.CreateAsync();
        var store = new BlobRunStore(runs);
        var run = RunFolder.Create(_temp.Combine("disk"), "folder:/a", "score", "model-a", TimeProvider.System);
        var local = Path.Combine(Directory.CreateDirectory(Path.Combine(run.Path, "explanations")).FullName, "explained.jsonl");
        await File.WriteAllTextAsync(local, "{\"Key\":\"a.png\"}\n");
        var stored = runs.GetBlobClient($"{run.RunId}/explanations/explained.jsonl");

        await stored.UploadAsync(BinaryData.FromString("not json\n"), overwrite: true);
        var notJson = await Assert.ThrowsAsync<InvalidDataException>(() => store.PullExplanationIndexAsync(run, CancellationToken.None));
        Assert.Contains("not an explanation", notJson.Message, StringComparison.Ordinal);

        await stored.UploadAsync(BinaryData.FromBytes(new byte[(1024 * 1024) + 1]), overwrite: true);
        var tooLong = await Assert.ThrowsAsync<InvalidDataException>(() => store.PullExplanationIndexAsync(run, CancellationToken.None));
        Assert.Contains("over 1048576 bytes", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal("{\"Key\":\"a.png\"}\n", await File.ReadAllTextAsync(local));

        await stored.UploadAsync(BinaryData.FromString("{\"Key\":\"b.png\"}\n"), overwrite: true);
        await store.PullExplanationIndexAsync(run, CancellationToken.None);
        Assert.Equal("{\"Key\":\"b.png\"}\n", await File.ReadAllTextAsync(local));
    }

    [AzuriteAndFixturesFact]
    public async Task DeletingAStoredRun_RemovesAllItsBlobs_AndLeavesTheOtherRuns()
    {
        var runs = new BlobContainerClient(azurite.ConnectionString, $"ipiqa-runs-{Guid.NewGuid():N}");
        await runs.CreateAsync();
        var store = new BlobRunStore(runs);
        var disk = _temp.Combine("disk");
        var old = RunFolder.Create(disk, "folder:/a", "score", "model-a", TimeProvider.System);
        var kept = RunFolder.Create(disk, "folder:/a", "score", "model-a", TimeProvider.System);
        foreach (var run in new[] { old, kept })
        {
            await File.WriteAllTextAsync(run.JournalPath, "{\"key\":\"a.png\"}\n");
            await store.OpenAsync(run, CancellationToken.None);
        }

        await runs.GetBlobClient($"{old.RunId}/report.html").UploadAsync(BinaryData.FromString("<html></html>"));

        await store.DeleteRunAsync(old.RunId, CancellationToken.None);

        var stored = new List<string>();
        await foreach (var blob in runs.GetBlobsAsync())
        {
            stored.Add(blob.Name);
        }

        Assert.Equal([$"{kept.RunId}/journal.jsonl", $"{kept.RunId}/run.json"], stored.Order(StringComparer.Ordinal));
        var freshDisk = _temp.Combine("disk-2");
        await store.PullCheckpointsAsync(freshDisk, CancellationToken.None);
        Assert.Equal([kept.RunId], RunFolder.List(freshDisk).Select(r => r.RunId));
    }

    private static async Task<JsonElement> StoredJson(BlobContainerClient runs, string name)
    {
        var content = (await runs.GetBlobClient(name).DownloadContentAsync()).Value.Content;
        return JsonDocument.Parse(content.ToMemory()).RootElement.Clone();
    }

    private static async Task<int> StoredLines(BlobContainerClient runs, string name)
    {
        var content = (await runs.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToMemory();
        return content.Span.Count((byte)'\n');
    }
}
