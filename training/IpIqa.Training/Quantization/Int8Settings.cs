namespace IpIqa.Training.Quantization;

/// <summary>
/// Choices of the int8 rewrite beyond its fixed plan (docs/export.md, "int8"): convolutions left in float32
/// by node-name prefix, and the activation range rule (MinMax, or a two-sided percentile of the values seen).
/// </summary>
public sealed record Int8Settings
{
    /// <summary>Node-name prefixes of convolutions kept in float32, e.g. <c>resnet50.stem</c>.</summary>
    public IReadOnlyList<string> KeepFloat { get; init; } = [];

    /// <summary>
    /// Share of each tensor's calibration values the range keeps, clipping the rest equally at both ends
    /// (e.g. 0.9999); null takes the whole range (MinMax, the default).
    /// </summary>
    public double? Percentile { get; init; }

    public static Int8Settings Default { get; } = new();
}
