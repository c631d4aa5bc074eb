using Azure.Messaging.ServiceBus;
using IpIqa.Azure.ServiceBus;
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
/// The worker host stopped with a 1 s shutdown timeout (<c>shutdownTimeoutSeconds</c>) while a slow
/// model holds every job: the jobs abandon before the host disposes the sinks and the Service Bus
/// client they settle with, so each message comes back at once, marked as abandoned on shutdown.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusShutdownTests(ServiceBusDoubleFixture fixture)
{
    private const int Jobs = 4;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RequiresNodeFact]
    public async Task A_shutdown_timeout_shorter_than_the_model_abandons_every_job_before_anything_is_disposed()
    {
        var queue = $"jobs-{Guid.NewGuid():N}";
        await using var client = new ServiceBusClient(fixture.ConnectionString);
        await using (var sender = client.CreateSender(queue))
        {
            await sender.SendMessagesAsync(Enumerable.Range(1, Jobs).Select(i =>
                new ServiceBusMessage($$"""{"jobId":"slow-{{i}}","image":{"uri":"fake://a.png"},"prompt":"a cat"}""") { MessageId = $"slow-{i}" }));
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
                ["IpIqa:Transport:Kind"] = "ServiceBus",
                ["IpIqa:ServiceBus:ConnectionString"] = fixture.ConnectionString,
                ["IpIqa:ServiceBus:QueueName"] = queue,
                ["IpIqa:Sinks:File:Path"] = Path.Combine(results.Path, "results.jsonl"),
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

        await using var receiver = client.CreateReceiver(queue);
        var back = new List<ServiceBusReceivedMessage>();
        using var timeout = new CancellationTokenSource(Wait);
        while (back.Count < Jobs)
        {
            back.AddRange(await receiver.ReceiveMessagesAsync(Jobs - back.Count, Wait, timeout.Token));
        }

        await logs.WaitForJobEndsAsync(Jobs, timeout.Token);

        var lines = logs.Lines.ToArray();
        Assert.DoesNotContain(lines, line => line.Contains(nameof(ObjectDisposedException), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("Abandoning message", StringComparison.Ordinal));
        Assert.All(back, message =>
        {
            Assert.Equal(2, message.DeliveryCount);
            Assert.Equal("The worker is shutting down.", message.ApplicationProperties[ServiceBusReceivedJob.AbandonReasonProperty]);
        });
        Assert.Equal(Enumerable.Range(1, Jobs).Select(i => $"slow-{i}"), back.Select(m => m.MessageId).Order());
        foreach (var message in back)
        {
            await receiver.CompleteMessageAsync(message);
        }
    }
}
