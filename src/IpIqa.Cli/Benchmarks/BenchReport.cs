using System.Text.Json;
using System.Text.Json.Serialization;
using IpIqa.Core.Bundles;

namespace IpIqa.Cli.Benchmarks;

/// <summary>The JSON a benchmark prints.</summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("bench")] string Bench,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("modelHash")] string ModelHash,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("batchSize")] int BatchSize,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("imagesPerSecond")] double ImagesPerSecond,
    [property: JsonPropertyName("msPerImage")] double MsPerImage,
    [property: JsonPropertyName("processorCount")] int ProcessorCount)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Per-stage means (end-to-end benchmarks only).</summary>
    [JsonPropertyName("stages")]
    public StageTimes? Stages { get; init; }

    public static BenchReport Create(string bench, ModelIdentity model, string provider, int batchSize, int threads, int images, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(model);
        var seconds = elapsed.TotalSeconds;
        return new BenchReport(
            bench,
            $"{model.Name}@{model.Version}",
            model.Hash,
            provider,
            batchSize,
            threads,
            images,
            Math.Round(seconds, 4),
            Math.Round(images / seconds, 2),
            Math.Round(seconds * 1000 / images, 3),
            Environment.ProcessorCount);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
