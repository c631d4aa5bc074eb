// Batch fill: the mean batch the worker's pipeline reaches with the queue full, for a transport, a
// batch size and a number of messages held. Real parts: the transport's job source (Service Bus
// through the test double, Storage Queue through Azurite), the JobProcessor and the DynamicBatcher.
// Stand-ins: the image fetch (a delay), the decode (a delay on a bounded pool) and the device (a
// delay per batch plus one per item). Prints one JSON line.
//
// usage: batch-fill servicebus|storagequeue MAX_BATCH HELD JOBS [DEVICE_MS_PER_ITEM=2] [FETCH_MS=20]
//   HELD 0 = the worker's default (BatchPipeline.MessagesToFill); decode 3 ms on 8 decoders; 10 ms batch overhead.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using BatchFill;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using IpIqa.TestSupport.Loopback;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

if (args.Length < 4 || args[0] is not ("servicebus" or "storagequeue"))
{
    Console.Error.WriteLine("usage: batch-fill servicebus|storagequeue MAX_BATCH HELD JOBS [DEVICE_MS_PER_ITEM=2] [FETCH_MS=20]");
    return 2;
}

var transport = args[0];
var maxBatch = int.Parse(args[1], CultureInfo.InvariantCulture);
var held = int.Parse(args[2], CultureInfo.InvariantCulture) is > 0 and var h ? h : BatchPipeline.MessagesToFill(maxBatch);
var jobs = int.Parse(args[3], CultureInfo.InvariantCulture);
var perItem = TimeSpan.FromMilliseconds(args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 2);
var fetch = TimeSpan.FromMilliseconds(args.Length > 5 ? double.Parse(args[5], CultureInfo.InvariantCulture) : 20);
var batching = new DynamicBatcherOptions { MaxBatchSize = maxBatch, MaxQueueDelay = TimeSpan.FromMilliseconds(10), QueueCapacity = 256 };
var queue = $"fill-{Guid.NewGuid():N}";
var bodies = Enumerable.Range(0, jobs).Select(i => $$"""{"jobId":"j{{i}}","image":{"uri":"sim://{{i}}"},"prompt":"a cat"}""").ToArray();

await using var model = new SimulatedModel(batching, decoders: 8, decode: TimeSpan.FromMilliseconds(3), perBatch: TimeSpan.FromMilliseconds(10), perItem);
using var metrics = new JobMetrics();
var scoring = new ScoringService(model, [new SimulatedImages(fetch)], new ScoringOptions(), metrics, TimeProvider.System);
var processor = new JobProcessor(scoring, [], new JobProcessorOptions(), metrics, TimeProvider.System, NullLogger<JobProcessor>.Instance);
var handler = new CountingHandler(processor, jobs);

IAsyncDisposable emulator;
IJobSource source;
if (transport == "servicebus")
{
    var double_ = await ServiceBusDouble.StartAsync(new ServiceBusDoubleOptions { LockDuration = TimeSpan.FromMinutes(5) }, CancellationToken.None);
    emulator = double_;
    var client = new ServiceBusClient(double_.ConnectionString);
    await using (var sender = client.CreateSender(queue))
    {
        foreach (var chunk in bodies.Chunk(100))
        {
            await sender.SendMessagesAsync(chunk.Select(b => new ServiceBusMessage(b)));
        }
    }

    source = new ServiceBusJobSource(client, Options.Create(new ServiceBusOptions { ConnectionString = double_.ConnectionString, QueueName = queue, MaxConcurrentMessages = held }), NullLogger<ServiceBusJobSource>.Instance);
}
else
{
    var azurite = await Azurite.StartAsync(CancellationToken.None);
    emulator = azurite;
    var service = new QueueServiceClient(azurite.ConnectionString);
    var client = service.GetQueueClient(queue);
    await client.CreateIfNotExistsAsync();
    await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (b, ct) => await client.SendMessageAsync(b, ct));
    source = new StorageQueueJobSource(service, Options.Create(new StorageQueueOptions { ConnectionString = azurite.ConnectionString, QueueName = queue, PoisonQueueName = queue + "-poison", MaxConcurrentMessages = held }), NullLogger<StorageQueueJobSource>.Instance);
}

await using (emulator)
{
    using var stop = new CancellationTokenSource();
    using var abort = new CancellationTokenSource();
    var started = Stopwatch.GetTimestamp();
    var running = source.RunAsync(handler, stop.Token, abort.Token);
    await handler.AllDone.WaitAsync(TimeSpan.FromMinutes(10));
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    await stop.CancelAsync();
    await running;

    // With the queue full: after the first `held` jobs (warm-up) and before the last `held` (the queue runs dry).
    var window = model.Batches.Where(b => b.Before >= held && b.Before + b.Size <= jobs - held).Select(b => b.Size).ToArray();
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        transport,
        maxBatchSize = maxBatch,
        held,
        jobs,
        devicePerItemMs = perItem.TotalMilliseconds,
        fetchMs = fetch.TotalMilliseconds,
        seconds = Math.Round(seconds, 2),
        batches = model.Batches.Count,
        batchesInWindow = window.Length,
        meanBatch = window.Length == 0 ? 0 : Math.Round(window.Average(), 1),
        meanOfMax = window.Length == 0 ? 0 : Math.Round(window.Average() / maxBatch, 3),
        fullBatches = window.Count(s => s == maxBatch),
        completed = handler.Completed,
        notCompleted = handler.Other,
    }));
}

return handler.Other == 0 ? 0 : 1;

/// <summary>Counts outcomes; done when every job has been completed once.</summary>
internal sealed class CountingHandler(IJobHandler inner, int expected) : IJobHandler
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completed;
    private int _other;

    public Task AllDone => _done.Task;

    public int Completed => _completed;

    public int Other => _other;

    public async Task<JobOutcome> HandleAsync(IReceivedJob job, CancellationToken cancellationToken)
    {
        var outcome = await inner.HandleAsync(job, cancellationToken).ConfigureAwait(false);
        if (outcome != JobOutcome.Completed)
        {
            Interlocked.Increment(ref _other);
        }
        else if (Interlocked.Increment(ref _completed) == expected)
        {
            _done.TrySetResult();
        }

        return outcome;
    }
}
