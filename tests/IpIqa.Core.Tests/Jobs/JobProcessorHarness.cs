using System.Collections.Concurrent;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>A <see cref="JobProcessor"/> over fakes: one image source, two sinks (table-like first, reply-like last).</summary>
public sealed class JobProcessorHarness : IDisposable
{
    public JobProcessorHarness(Thresholds? defaults = null, FakeScorer? scorer = null, string promptMetadataKey = PromptMetadata.DefaultKey, int maxPromptBytes = RequestLimits.DefaultMaxPromptBytes)
    {
        Scorer = scorer ?? new FakeScorer();
        Store = new RecordingSink("store", 10, Order);
        Reply = new RecordingSink("reply", 100, Order);
        Processor = Processors.Create(
            Scorer,
            [Images],
            [Reply, Store],
            Metrics,
            new ScoringOptions { MaxImageBytes = 1024, DefaultThresholds = defaults ?? Thresholds.None, PromptMetadataKey = promptMetadataKey, MaxPromptBytes = maxPromptBytes });
    }

    public FakeScorer Scorer { get; }

    public FakeImageSource Images { get; } = new();

    public ConcurrentQueue<string> Order { get; } = new();

    public RecordingSink Store { get; }

    public RecordingSink Reply { get; }

    public JobMetrics Metrics { get; } = new();

    public JobProcessor Processor { get; }

    public static string Request(string jobId, string path, string prompt = "a red fox in snow", string extra = "") =>
        $$"""{"jobId":"{{jobId}}","image":{"path":"{{path}}"},"prompt":"{{prompt}}"{{extra}}}""";

    /// <summary>A BlobCreated event as Event Grid delivers it in the CloudEvents 1.0 schema.</summary>
    public static string BlobEvent(string id, string url, string type = "Microsoft.Storage.BlobCreated") =>
        $$$"""{"specversion":"1.0","type":"{{{type}}}","source":"/storage/gallery","id":"{{{id}}}","subject":"/blobServices/default/containers/c/blobs/x","data":{"eTag":"0x1","url":"{{{url}}}"}}""";

    public void Dispose() => Metrics.Dispose();
}
