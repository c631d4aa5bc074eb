using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>One ONNX file of a bundle, with its SHA-256 and its input and output names.</summary>
public sealed record BundleGraph
{
    [JsonPropertyName("file")] public required string File { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file.</summary>
    [JsonPropertyName("sha256")] public required string Sha256 { get; init; }

    [JsonPropertyName("opset")] public int Opset { get; init; }
    [JsonPropertyName("inputs")] public IReadOnlyList<string> Inputs { get; init; } = [];
    [JsonPropertyName("outputs")] public IReadOnlyList<string> Outputs { get; init; } = [];
}
