using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Tests.Support;

namespace IpIqa.Worker.Tests.Faults;

/// <summary>
/// Fault injection on the Storage Queue path: the built worker runs as its own process with the
/// demo bundle (models/demo) and is SIGKILLed at random moments, then restarted, several times. Afterwards
/// every job has exactly one result row (a good job a scored row, a poison job an error row and a
/// poison entry) and none is missing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueFaultTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int GoodJobs = 200;
    private const int Kills = 5;
    private static readonly string[] Images = ["good-clean.png", "degraded-blur.png", "misaligned-wrong-colour.png"];

    [RequiresNodeFact]
    public async Task Every_job_has_exactly_one_result_after_repeated_sigkills()
    {
        var clock = Stopwatch.StartNew();
        using var work = new TempDirectory("ipiqa-faults");
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var queue = new QueueClient(azurite.ConnectionString, $"jobs{suffix}");
        var poison = new QueueClient(azurite.ConnectionString, $"poison{suffix}");
        var container = new BlobContainerClient(azurite.ConnectionString, $"images{suffix}");
        var table = new TableClient(azurite.ConnectionString, $"results{suffix}");
        await queue.CreateAsync();
        await container.CreateAsync();
        foreach (var image in Images)
        {
            await container.GetBlobClient(image).UploadAsync(DemoBundle.Sample(image));
        }

        var poisonJobs = new List<string>();
        var messages = new List<string>();
        for (var i = 0; i < GoodJobs; i++)
        {
            var uri = container.GetBlobClient(Images[i % Images.Length]).Uri.AbsoluteUri;
            messages.Add(JsonSerializer.Serialize(new { jobId = $"good-{i:D3}", image = new { uri }, prompt = $"picture number {i} of a quiet harbour" }));
        }

        for (var i = 0; i < 6; i++)
        {
            poisonJobs.Add($"missing-{i}");
            messages.Add(JsonSerializer.Serialize(new { jobId = $"missing-{i}", image = new { uri = container.GetBlobClient($"nope-{i}.png").Uri.AbsoluteUri }, prompt = "gone" }));
            poisonJobs.Add($"invalid-{i}");
            messages.Add($$"""{"jobId":"invalid-{{i}}","image":{"uri":"x"},"prompt":""" + "}");
        }

        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, ct) => await queue.SendMessageAsync(m, ct));

        var random = new Random(20261126);
        var runs = 0;
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var worker = StartWorker(DemoBundle.Folder, work.Path, queue.Name, poison.Name, container.Name, table.Name, ++runs);
            await worker.WaitUntilReceivingAsync(TimeSpan.FromSeconds(90));
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)));
            await worker.KillAsync();
        }

        using (var last = StartWorker(DemoBundle.Folder, work.Path, queue.Name, poison.Name, container.Name, table.Name, ++runs))
        {
            await last.WaitUntilReceivingAsync(TimeSpan.FromSeconds(90));
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"jobs are still queued after the last restart:\n{last.Output}");
                Assert.False(last.HasExited, $"the worker exited:\n{last.Output}");
                await Task.Delay(250);
            }

            await last.KillAsync();
        }

        var rows = table.Query<TableEntity>().ToList();
        var rowsByJob = rows.GroupBy(r => r.GetString("JobId") ?? "(none)").ToDictionary(g => g.Key, g => g.ToList());
        var entries = await ReadPoisonAsync(poison);
        var poisonByJob = entries.GroupBy(e => e.JobId).ToDictionary(g => g.Key, g => g.Count());
        var written = Directory.EnumerateFiles(work.Path, "run-*.jsonl").SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("resultKey").GetString()).ToList();
        var duplicateWrites = written.Count - written.Distinct().Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"jobs {messages.Count} ({GoodJobs} good, {poisonJobs.Count} poison), kills {Kills}, runs {runs}, results written {written.Count}, duplicate deliveries written again {duplicateWrites}, poison entries {entries.Count}, table rows {rows.Count}, time {clock.Elapsed.TotalSeconds:F1} s"));

        for (var i = 0; i < GoodJobs; i++)
        {
            var job = $"good-{i:D3}";
            Assert.True(rowsByJob.TryGetValue(job, out var jobRows), $"{job} has no result row");
            var row = Assert.Single(jobRows);
            Assert.Null(row.GetString("ErrorCode"));
            Assert.NotNull(row.GetDouble("Quality"));
            Assert.False(poisonByJob.ContainsKey(job), $"{job} was scored and also poisoned");
        }

        foreach (var job in poisonJobs)
        {
            Assert.True(poisonByJob.ContainsKey(job), $"{job} has no poison entry");
            Assert.True(rowsByJob.TryGetValue(job, out var jobRows), $"{job} has no error row");
            var code = Assert.Single(jobRows).GetString("ErrorCode");
            Assert.Equal(job.StartsWith("missing-", StringComparison.Ordinal) ? "image_not_found" : "message_invalid", code);
        }

        Assert.Equal(GoodJobs + 6 + 6, rows.Count);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private WorkerProcess StartWorker(string bundle, string work, string queue, string poison, string container, string table, int run)
    {
        var settings = AzuriteWorkerSettings.StorageQueue(azurite.ConnectionString, bundle, queue, poison, container, maxBatchSize: 8);
        settings["IpIqa:StorageQueue:VisibilityTimeout"] = "00:00:03";
        settings["IpIqa:StorageQueue:MaxDequeueCount"] = "20";
        settings["IpIqa:StorageQueue:MaxConcurrentMessages"] = "32";
        settings["IpIqa:Sinks:Table:Enabled"] = "true";
        settings["IpIqa:Sinks:Table:ConnectionString"] = azurite.ConnectionString;
        settings["IpIqa:Sinks:Table:TableName"] = table;
        settings["IpIqa:Sinks:File:Path"] = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"run-{run}.jsonl"));
        return WorkerProcess.Start(AzuriteWorkerSettings.ToEnvironment(settings), work);
    }

    private static async Task<List<(string JobId, string Code)>> ReadPoisonAsync(QueueClient poison)
    {
        var entries = new List<(string, string)>();
        while (true)
        {
            var batch = (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return entries;
            }

            foreach (var message in batch)
            {
                using var json = JsonDocument.Parse(IpIqa.Azure.StorageQueues.QueueMessageBody.Decode(message.MessageText));
                var original = json.RootElement.GetProperty("message").GetString()!;
                var jobId = original.Split('"')[3];
                entries.Add((jobId, json.RootElement.GetProperty("error").GetProperty("code").GetString()!));
            }
        }
    }
}
