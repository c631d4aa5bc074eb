using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// <c>bundle.json</c>: everything a runtime needs to load and describe an IP-IQA model bundle.
/// The bundle folder is the only contract between training and serving.
/// </summary>
public sealed record BundleManifest
{
    public const string FileName = "bundle.json";
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Short, stable model name, for example <c>ipiqa-demo</c>.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Version of this model (semantic version or date stamp).</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }

    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }

    [JsonPropertyName("architecture")] public required BundleArchitecture Architecture { get; init; }

    [JsonPropertyName("input")] public required BundleInput Input { get; init; }

    [JsonPropertyName("tokenizer")] public required BundleTokenizer Tokenizer { get; init; }

    /// <summary>Names of the score outputs, in the order of the <c>scores</c> tensor's last axis.</summary>
    [JsonPropertyName("outputs")] public IReadOnlyList<string> Outputs { get; init; } = ["quality", "alignment"];

    /// <summary>Typical range of each output on the training set's MOS scale.</summary>
    [JsonPropertyName("scoreRange")] public IReadOnlyDictionary<string, ScoreRange>? ScoreRange { get; init; }

    /// <summary>Optional percentile tables from a reference run.</summary>
    [JsonPropertyName("calibration")] public BundleCalibration? Calibration { get; init; }

    /// <summary>The ONNX graphs: <c>text</c> and <c>image</c>.</summary>
    [JsonPropertyName("graphs")] public required BundleGraphs Graphs { get; init; }

    [JsonPropertyName("provenance")] public BundleProvenance? Provenance { get; init; }
}
