using System.Text.Json;
using System.Text.Json.Serialization;
using IpIqa.Core.Bundles;
using IpIqa.Imaging.Benchmarks;

namespace IpIqa.Cli.Benchmarks;

/// <summary>
/// The JSON a benchmark prints. Keys are snake_case and match the reference Python benchmark
/// (<c>bench/python/e2e_bench.py</c>): <c>images</c>, <c>images_per_s</c>, <c>ms_per_image</c>,
/// <c>threads</c>, <c>batch_size</c>, <c>stage_ms</c>, <c>process_cpu_s</c>, <c>load_average</c>.
/// </summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("bench")] string Bench,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("model_hash")] string ModelHash,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("images_per_s")] double ImagesPerSecond,
    [property: JsonPropertyName("ms_per_image")] double MsPerImage,
    [property: JsonPropertyName("process_cpu_s")] double ProcessCpuSeconds,
    [property: JsonPropertyName("cpu_ms_per_image")] double CpuMsPerImage,
    [property: JsonPropertyName("load_average")] double? LoadAverage,
    [property: JsonPropertyName("processor_count")] int ProcessorCount)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Per-stage mean milliseconds per image (end-to-end benchmarks only).</summary>
    [JsonPropertyName("stage_ms")]
    public StageTimes? Stages { get; init; }

    /// <summary>Mean number of items in the batch each scored item ran in (end-to-end benchmarks only).</summary>
    [JsonPropertyName("mean_batch_size")]
    public double? MeanBatchSize { get; init; }

    /// <summary>The mean batch of the untimed warm-up pass, the first after loading: from a cold start (end-to-end benchmarks only).</summary>
    [JsonPropertyName("cold_mean_batch_size")]
    public double? ColdMeanBatchSize { get; init; }

    /// <summary>Whether text features were cached per prompt (end-to-end benchmarks only).</summary>
    [JsonPropertyName("cache_text")]
    public bool? CacheText { get; init; }

    /// <summary>Whether ONNX Runtime's intra-op threads spun while idle (end-to-end benchmarks only).</summary>
    [JsonPropertyName("spinning")]
    public bool? Spinning { get; init; }

    /// <summary>Items that failed during the timed run (end-to-end benchmarks only).</summary>
    [JsonPropertyName("failures")]
    public int? Failures { get; init; }

    /// <summary>What the bundle's image graph computes in, <c>fp32</c> or <c>fp16</c> (the model benchmark only).</summary>
    [JsonPropertyName("precision")]
    public string? Precision { get; init; }

    /// <summary>The garbage collector's share of the timed run (allocations, pauses, collections).</summary>
    [JsonPropertyName("gc")]
    public GcShare? Gc { get; init; }

    /// <summary>Process memory sampled along the run, when asked for.</summary>
    [JsonPropertyName("memory")]
    public IReadOnlyList<MemorySample>? Memory { get; init; }

    public static BenchReport Create(string bench, ModelIdentity model, string provider, int batchSize, int threads, int images, BenchClock.Reading elapsed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(elapsed);
        var seconds = elapsed.Wall.TotalSeconds;
        var cpu = elapsed.Cpu.TotalSeconds;
        return new BenchReport(
            bench,
            $"{model.Name}@{model.Version}",
            model.Hash,
            provider,
            batchSize,
            threads,
            images,
            Math.Round(seconds, 4),
            Math.Round(images / seconds, 3),
            Math.Round(seconds * 1000 / images, 3),
            Math.Round(cpu, 3),
            Math.Round(cpu * 1000 / images, 3),
            BenchClock.LoadAverage(),
            Environment.ProcessorCount);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
