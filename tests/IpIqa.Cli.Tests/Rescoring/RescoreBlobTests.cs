using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa rescore</c> over a 2,000-blob container on Azurite: killed and resumed, rerun, and enqueued.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RescoreBlobTests(AzuriteFixture azurite, ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const int Count = 2_000;
    private const int OrphanEvery = 250;
    private readonly TempDirectory _temp = new("rescore-blob");

    public void Dispose() => _temp.Dispose();

    private RescoreSettings Settings(string container) => new()
    {
        Model = reference.Folder,
        RunsRoot = _temp.Combine("runs"),
        Container = container,
        Prefix = "night/",
        ConnectionString = azurite.ConnectionString,
        PageSize = 250,
        BatchSize = 16,
        Threads = 1,
        Provider = ExecutionProvider.Cpu,
    };

    [AzuriteAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task ARunKilledPartWay_ResumesToExactlyOneResultPerBlob_AndASecondRunSkipsThemAll()
    {
        var container = await BlobGallery.CreateAsync(azurite.ConnectionString, Count, OrphanEvery);
        var settings = Settings(container.Name);
        using var output = new StringWriter();
        using var kill = new CancellationTokenSource();
        // Cancel once a few hundred items are journalled: mid-page, with batches in flight.
        var journal = RunJournals.CancelWhenJournalledAsync(settings.RunsRoot, 400, kill);

        var first = await RescoreCommandRunner.RunAsync(settings, output, kill.Token);
        await kill.CancelAsync();
        await journal;

        Assert.Equal(ExitCodes.Interrupted, first);
        var run = Directory.GetDirectories(settings.RunsRoot).Single();
        Assert.InRange(RunJournals.LinesUnder(run), 400, Count - 1);
        Assert.False(File.Exists(Path.Combine(run, "results.csv")));

        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));

        Assert.Equal(run, Directory.GetDirectories(settings.RunsRoot).Single()); // resumed, not restarted
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(run, "results.csv"));
        Assert.Equal(Count, rows.Count);
        Assert.Equal(Count, rows.Select(r => r["key"]).Distinct().Count());
        Assert.Equal(Count / OrphanEvery, rows.Count(r => r["error_code"] == ErrorCodes.PromptMissing));
        Assert.Equal(Count - (Count / OrphanEvery), rows.Count(r => r["status"] == "scored"));
        Assert.Equal(Count, File.ReadAllLines(Path.Combine(run, "journal.jsonl")).Length);

        using var again = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, again, CancellationToken.None));
        Assert.Contains($"{Count - (Count / OrphanEvery)} skipped", again.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{Count / OrphanEvery} scored now ({Count / OrphanEvery} failed)", again.ToString(), StringComparison.Ordinal);
    }

    [AzuriteAndFixturesFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Enqueue_CreatesTheMissingQueue_AndPutsExactlyOneRequestPerBlobOnIt_TaggedWithTheRunId()
    {
        var container = await BlobGallery.CreateAsync(azurite.ConnectionString, Count, OrphanEvery);
        var queueName = $"jobs-{Guid.NewGuid():N}";
        var queue = new QueueClient(azurite.ConnectionString, queueName); // not created: the run creates it
        var settings = Settings(container.Name) with { Enqueue = true, QueueName = queueName, QueueConnectionString = azurite.ConnectionString };
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));

        Assert.Contains($"created queue {queueName}", output.ToString(), StringComparison.Ordinal);
        var runId = Path.GetFileName(Directory.GetDirectories(settings.RunsRoot).Single());
        var images = new List<string>();
        var jobIds = new HashSet<string>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText)));
                var root = json.RootElement;
                Assert.Equal(runId, root.GetProperty("correlationId").GetString());
                Assert.Equal(runId, root.GetProperty("attributes").GetProperty("runId").GetString());
                Assert.True(jobIds.Add(root.GetProperty("jobId").GetString()!));
                images.Add(root.GetProperty("image").GetProperty("uri").GetString()!);
            }
        }

        var withPrompt = Count - (Count / OrphanEvery);
        Assert.Equal(withPrompt, images.Count);
        Assert.Equal(withPrompt, images.Distinct().Count());
        Assert.All(images, uri => Assert.StartsWith(container.Uri.AbsoluteUri + "/night/", uri, StringComparison.Ordinal));
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(settings.RunsRoot, runId, "results.csv"));
        Assert.Equal(withPrompt, rows.Count(r => r["status"] == "enqueued"));

        // The next night, with the same model and unchanged images, nothing is sent again; --force sends all.
        using var again = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings, again, CancellationToken.None));
        // Only the images with no prompt are tried again (they fail again); the rest are skipped.
        Assert.Contains($"{Count / OrphanEvery} enqueued now ({Count / OrphanEvery} failed), {withPrompt} skipped", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(withPrompt, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount); // still only the first night's
        using var forced = new StringWriter();
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(settings with { Force = true }, forced, CancellationToken.None));
        Assert.Equal(2 * withPrompt, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
