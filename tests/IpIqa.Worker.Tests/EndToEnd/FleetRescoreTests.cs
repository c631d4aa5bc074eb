using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Tests.Support;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// Nightly rescoring through the fleet: <c>ipiqa rescore --enqueue</c> (its own process) lists a
/// blob gallery on Azurite and sends one job per image; two worker processes compete for the
/// queue. Every image with a prompt ends with exactly one result, written once, tagged with the
/// run id, and both workers took part.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FleetRescoreTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Count = 400;
    private const int OrphanEvery = 50;

    [RequiresNodeFact]
    public async Task Enqueued_gallery_is_consumed_exactly_once_by_two_competing_workers()
    {
        using var work = new TempDirectory("ipiqa-fleet");
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var container = await Cli.Tests.Rescoring.BlobGallery.CreateAsync(azurite.ConnectionString, Count, OrphanEvery);
        var queue = new QueueClient(azurite.ConnectionString, $"jobs{suffix}");
        var table = new TableClient(azurite.ConnectionString, $"results{suffix}");
        await queue.CreateAsync();
        var expected = Count - (Count / OrphanEvery);

        using var first = StartWorker(DemoBundle.Folder, work.Path, queue.Name, container.Name, table.Name, 1);
        using var second = StartWorker(DemoBundle.Folder, work.Path, queue.Name, container.Name, table.Name, 2);
        await first.WaitUntilReceivingAsync(TimeSpan.FromSeconds(90));
        await second.WaitUntilReceivingAsync(TimeSpan.FromSeconds(90));

        var (exit, rescoreOutput) = await CliProcess.RunAsync(
            "rescore", "--model", DemoBundle.Folder, "--runs", Path.Combine(work.Path, "runs"),
            "--container", container.Name, "--prefix", "night/", "--connection-string", azurite.ConnectionString,
            "--enqueue", "--queue", queue.Name, "--queue-connection-string", azurite.ConnectionString);
        Assert.True(exit == ExitCodes.InputsFailed, rescoreOutput); // the gallery holds images with no prompt
        var runId = Path.GetFileName(Directory.GetDirectories(Path.Combine(work.Path, "runs")).Single());

        var clock = Stopwatch.StartNew();
        List<TableEntity> rows;
        while (true)
        {
            await table.CreateIfNotExistsAsync();
            rows = [.. table.Query<TableEntity>()];
            var left = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (rows.Count >= expected && left == 0)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"after {clock.Elapsed.TotalSeconds:F0} s: {rows.Count} of {expected} results, {left} messages left\n{first.Output}\n{second.Output}");
            await Task.Delay(250);
        }

        await first.KillAsync();
        await second.KillAsync();

        // Exactly one result per image, all from this run, all scored.
        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, rows.Select(r => r.GetString("ImageUri")).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(runId, r.GetString("CorrelationId")));
        Assert.All(rows, r => Assert.Null(r.GetString("ErrorCode")));

        // Written once: each job id appears in exactly one worker's results file, once.
        var perWorker = new[] { 1, 2 }.Select(n => ReadResults(Path.Combine(work.Path, string.Create(CultureInfo.InvariantCulture, $"worker-{n}.jsonl")))).ToArray();
        var jobIds = perWorker.SelectMany(r => r).Select(r => r.JobId!).ToList();
        Assert.Equal(expected, jobIds.Count);
        Assert.Equal(expected, jobIds.Distinct().Count());
        Assert.All(perWorker, results => Assert.NotEmpty(results));
        output.WriteLine($"{expected} jobs in {clock.Elapsed.TotalSeconds:F1} s after the enqueue; worker 1 took {perWorker[0].Count}, worker 2 took {perWorker[1].Count}");
    }

    private static List<ScoringResult> ReadResults(string path) =>
        File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l)))]
            : [];

    private WorkerProcess StartWorker(string bundle, string work, string queue, string container, string table, int worker)
    {
        var settings = AzuriteWorkerSettings.StorageQueue(azurite.ConnectionString, bundle, queue, queue + "-poison", container, maxBatchSize: 8);

        // Long enough that a slow CI machine never sees a lease expire: each message is handled once.
        settings["IpIqa:StorageQueue:VisibilityTimeout"] = "00:02:00";
        settings["IpIqa:StorageQueue:MaxConcurrentMessages"] = "16";
        settings["IpIqa:Sinks:Table:Enabled"] = "true";
        settings["IpIqa:Sinks:Table:ConnectionString"] = azurite.ConnectionString;
        settings["IpIqa:Sinks:Table:TableName"] = table;
        settings["IpIqa:Sinks:File:Path"] = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"worker-{worker}.jsonl"));
        return WorkerProcess.Start(AzuriteWorkerSettings.ToEnvironment(settings), work);
    }
}
