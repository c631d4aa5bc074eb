using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Tests.Hosting;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// The worker host on Storage Queue, stopped with a 1 s shutdown timeout while a slow model holds
/// every job: the jobs abandon before the results file is closed under them, and each message is
/// visible again after the abandon's 1 s back-off, not after its 30 s visibility timeout.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueShutdownTests(AzuriteFixture azurite)
{
    private const int Jobs = 4;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [RequiresNodeFact]
    public async Task A_shutdown_timeout_shorter_than_the_model_abandons_every_job_before_anything_is_disposed()
    {
        var queue = new QueueClient(azurite.ConnectionString, $"slow{Guid.NewGuid():N}");
        await queue.CreateAsync();
        for (var i = 1; i <= Jobs; i++)
        {
            await queue.SendMessageAsync($$"""{"jobId":"slow-{{i}}","image":{"uri":"fake://a.png"},"prompt":"a cat"}""");
        }

        using var results = new TempDirectory();
        var model = new SlowModel(TimeSpan.FromSeconds(3), Jobs);
        var logs = new CapturingLoggerProvider();
        var images = new FakeImageSource();
        images.Images["fake://a.png"] = [1, 2, 3];
        var host = WorkerHostFactory.Build(
            new Dictionary<string, string?>
            {
                ["shutdownTimeoutSeconds"] = "1",
                ["IpIqa:Transport:Kind"] = "StorageQueue",
                ["IpIqa:StorageQueue:ConnectionString"] = azurite.ConnectionString,
                ["IpIqa:StorageQueue:QueueName"] = queue.Name,
                ["IpIqa:StorageQueue:PoisonQueueName"] = queue.Name + "-poison",
                ["IpIqa:StorageQueue:VisibilityTimeout"] = "00:00:30",
                ["IpIqa:Sinks:File:Path"] = results.Combine("results.jsonl"),
                ["IpIqa:Health:Port"] = "0",
            },
            model,
            services =>
            {
                services.AddSingleton<IImageSource>(images);
                services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
            });
        await host.StartAsync();
        await model.AllStarted.WaitAsync(Wait);
        await host.StopAsync();
        host.Dispose();

        using var timeout = new CancellationTokenSource(Wait);
        await logs.WaitForJobEndsAsync(Jobs, timeout.Token);
        var back = new List<QueueMessage>();
        while (back.Count < Jobs)
        {
            back.AddRange((await queue.ReceiveMessagesAsync(Jobs, cancellationToken: timeout.Token)).Value);
            await Task.Delay(200, timeout.Token);
        }

        var lines = logs.Lines.ToArray();
        Assert.DoesNotContain(lines, line => line.Contains(nameof(ObjectDisposedException), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("Abandoning message", StringComparison.Ordinal));
        Assert.All(back, message => Assert.Equal(2, message.DequeueCount));
        Assert.Equal(Jobs, back.Select(m => m.MessageId).Distinct().Count());
    }
}
