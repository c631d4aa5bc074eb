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

    /// <summary>
    /// What the graph computes in: <see cref="BundlePrecision.Fp32"/>, <see cref="BundlePrecision.Fp16"/> or <see cref="BundlePrecision.Int8"/>.
    /// Null (absent from the JSON) means fp32; read <see cref="EffectivePrecision"/> rather than this.
    /// </summary>
    [JsonPropertyName("precision")] public string? Precision { get; init; }

    /// <summary>Whether <see cref="Outputs"/> names <paramref name="output"/> (an optional output such as <see cref="BundleGraphNames.Attention"/>).</summary>
    public bool HasOutput(string output) => Outputs.Contains(output, StringComparer.Ordinal);

    /// <summary>
    /// For an int8 graph: the SHA-256 of the calibration set its activation scales came from
    /// (see <c>docs/export.md</c>); null otherwise.
    /// </summary>
    [JsonPropertyName("calibrationSha256")]
    public string? CalibrationSha256 { get; init; }

    /// <summary>
    /// For an int8 graph: how its activation ranges were chosen from the calibration values (<c>minmax</c>,
    /// <c>percentile 0.9999</c>, <c>entropy</c> or <c>mse</c>; <c>ipiqa-train quantize --calibration-method</c>);
    /// null otherwise, and in int8 bundles written before it was recorded (those are minmax).
    /// </summary>
    [JsonPropertyName("calibrationMethod")]
    public string? CalibrationMethod { get; init; }

    /// <summary>
    /// For an int8 graph: the names of the convolutions left in float32 (<c>ipiqa-train quantize --keep-float</c>),
    /// in graph order; null when every convolution is int8 or the graph is not int8.
    /// </summary>
    [JsonPropertyName("floatConvolutions")]
    public IReadOnlyList<string>? FloatConvolutions { get; init; }

    /// <summary>
    /// For an int8 graph: true when the attention pool's key/value projections were left in float32
    /// (<c>ipiqa-train quantize --float-projections</c>); null when they are int8 or the graph is not int8.
    /// </summary>
    [JsonPropertyName("floatProjections")]
    public bool? FloatProjections { get; init; }

    /// <summary><see cref="Precision"/>, with an absent field read as fp32.</summary>
    [JsonIgnore] public string EffectivePrecision => Precision ?? BundlePrecision.Fp32;
}
