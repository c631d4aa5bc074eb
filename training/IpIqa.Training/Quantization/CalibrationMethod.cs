namespace IpIqa.Training.Quantization;

/// <summary>
/// How int8 calibration turns each activation's calibration values into the range its uint8 scale covers
/// (<c>--calibration-method</c>, docs/export.md, "int8"); see <see cref="ActivationHistogram"/>.
/// </summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen.</summary>
    MinMax,

    /// <summary>A two-sided percentile of the values seen (<see cref="Int8Settings.Percentile"/>).</summary>
    Percentile,

    /// <summary>The range whose quantized histogram is closest to the values' in KL divergence (TensorRT-style).</summary>
    Entropy,

    /// <summary>The range with the least expected squared quantization error.</summary>
    Mse,
}
