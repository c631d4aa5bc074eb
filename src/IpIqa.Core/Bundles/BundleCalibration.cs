using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// Percentile tables of a reference run: for each output, the raw score at percentiles
/// 0, 1, ..., 100 (101 ascending values). A raw score maps to a percentile by interpolation.
/// </summary>
public sealed record BundleCalibration
{
    [JsonPropertyName("reference")] public required string Reference { get; init; }
    [JsonPropertyName("count")] public long Count { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("percentiles")] public required IReadOnlyDictionary<string, IReadOnlyList<double>> Percentiles { get; init; }
}
