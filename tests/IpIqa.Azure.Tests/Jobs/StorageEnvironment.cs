using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>Fresh queues, containers and a table on Azurite, and the worker pipeline over them (fake scorer).</summary>
public sealed class StorageEnvironment : IDisposable
{
    public const int MaxDequeueCount = 2;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..12];
    private readonly JobMetrics _metrics = new();
    private readonly IResultSink? _extraSink;
    private readonly string _connectionString;

    private StorageEnvironment(string connectionString, IResultSink? extraSink)
    {
        VisibilityTimeout = TimeSpan.FromSeconds(5);
        _connectionString = connectionString;
        _extraSink = extraSink;
        var queues = new QueueServiceClient(connectionString);
        Queues = queues;
        Jobs = queues.GetQueueClient($"jobs{_suffix}");
        Poison = queues.GetQueueClient($"poison{_suffix}");
        var blobs = new BlobServiceClient(connectionString);
        Blobs = blobs;
        Images = blobs.GetBlobContainerClient($"images{_suffix}");
        Private = blobs.GetBlobContainerClient($"private{_suffix}");
        TableService = new TableServiceClient(connectionString);
        Table = TableService.GetTableClient($"results{_suffix}");
    }

    public QueueServiceClient Queues { get; }

    /// <summary>Every log line of the pipeline's components.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>A policy the worker's queue client runs on each try (a failing transport); Azure.Core's own retries are then off.</summary>
    public HttpPipelinePolicy? QueuePolicy { get; set; }

    public TimeSpan VisibilityTimeout { get; set; }

    /// <summary>The scorer the pipeline uses (a fake whose timing a test may change).</summary>
    public FakeScorer Scorer { get; set; } = new();

    public QueueClient Jobs { get; }

    public QueueClient Poison { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Images { get; }

    public BlobContainerClient Private { get; }

    public TableServiceClient TableService { get; }

    public TableClient Table { get; }

    public static async Task<StorageEnvironment> CreateAsync(string connectionString, IResultSink? extraSink = null)
    {
        var env = new StorageEnvironment(connectionString, extraSink);
        await env.Jobs.CreateIfNotExistsAsync();
        await env.Images.CreateIfNotExistsAsync();
        await env.Private.CreateIfNotExistsAsync();
        return env;
    }

    /// <summary>Uploads a blob into <c>images</c> or <c>private</c> and returns its URI.</summary>
    public async Task<string> UploadAsync(string container, string name, byte[] content, IDictionary<string, string>? tags = null)
    {
        var blob = (container == "images" ? Images : Private).GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        if (tags is not null)
        {
            await blob.SetTagsAsync(tags);
        }

        return blob.Uri.AbsoluteUri;
    }

    public RunningSource Start()
    {
        var queueOptions = Options.Create(new StorageQueueOptions
        {
            ConnectionString = _connectionString,
            QueueName = Jobs.Name,
            PoisonQueueName = Poison.Name,
            VisibilityTimeout = VisibilityTimeout,
            MaxDequeueCount = MaxDequeueCount,
            MaxPollInterval = TimeSpan.FromMilliseconds(200),
        });
        var blobOptions = Options.Create(new BlobOptions { ConnectionString = _connectionString, AllowedAccounts = ["devstoreaccount1"], AllowedContainers = [Images.Name] });
        var resolver = new BlobClientResolver(blobOptions, new DefaultAzureCredential(), Blobs);
        var queues = Queues;
        if (QueuePolicy is not null)
        {
            var clientOptions = new QueueClientOptions { Retry = { MaxRetries = 0 } };
            clientOptions.AddPolicy(QueuePolicy, HttpPipelinePosition.PerRetry);
            queues = new QueueServiceClient(_connectionString, clientOptions);
        }

        var tableOptions = Options.Create(new TableSinkOptions { Enabled = true, ConnectionString = _connectionString, TableName = Table.Name });
        IResultSink[] sinks = _extraSink is null
            ? [new BlobTagsSink(resolver, Logs.For<BlobTagsSink>()), new TableResultSink(TableService, tableOptions)]
            : [new BlobTagsSink(resolver, Logs.For<BlobTagsSink>()), new TableResultSink(TableService, tableOptions), _extraSink];
        var processor = Processors.Create(Scorer, [new BlobImageSource(resolver)], sinks, _metrics, logger: Logs.For<JobProcessor>());
        return new RunningSource(new StorageQueueJobSource(queues, queueOptions, Logs.For<StorageQueueJobSource>()), processor);
    }

    /// <summary>Waits until the jobs queue holds no message, visible or not.</summary>
    public async Task WaitUntilEmptyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await Jobs.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The jobs queue still holds messages after {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    public async Task<IReadOnlyList<PoisonEntry>> ReadPoisonAsync()
    {
        var entries = new List<PoisonEntry>();
        var messages = (await Poison.ReceiveMessagesAsync(32)).Value;
        foreach (var message in messages)
        {
            using var json = JsonDocument.Parse(QueueMessageBody.Decode(message.MessageText));
            var error = json.RootElement.GetProperty("error");
            entries.Add(new PoisonEntry(error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!, json.RootElement.GetProperty("message").GetString()!)
            {
                Raw = Encoding.UTF8.GetString(QueueMessageBody.Decode(message.MessageText)),
                EncodedLength = message.MessageText.Length,
            });
        }

        return entries;
    }

    public void Dispose() => _metrics.Dispose();
}
