using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>Where a bundle came from: source checkpoint, data, metrics and code version.</summary>
public sealed record BundleProvenance
{
    /// <summary>What the weights were made from, e.g. <c>import: ipiqa.pt</c> or <c>ipiqa-train finetune</c>.</summary>
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("data")] public string? Data { get; init; }
    [JsonPropertyName("command")] public string? Command { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double>? Metrics { get; init; }
    [JsonPropertyName("codeVersion")] public string? CodeVersion { get; init; }
    [JsonPropertyName("tool")] public string? Tool { get; init; }
}
