using System.Globalization;

namespace IpIqa.Training.Quantization;

/// <summary>
/// Choices of the int8 rewrite beyond its fixed plan (docs/export.md, "int8"): convolutions left in float32
/// by node-name prefix, and the activation range rule (<see cref="CalibrationMethod"/>).
/// </summary>
public sealed record Int8Settings
{
    /// <summary>The share of values <see cref="CalibrationMethod.Percentile"/> keeps when none is given.</summary>
    public const double DefaultPercentile = 0.9999;

    /// <summary>Node-name prefixes of convolutions kept in float32, e.g. <c>resnet50.stem</c>.</summary>
    public IReadOnlyList<string> KeepFloat { get; init; } = [];

    /// <summary>Leave the attention pools' key/value projection MatMuls in float32 (<c>--float-projections</c>).</summary>
    public bool FloatProjections { get; init; }

    /// <summary>How each activation's range is chosen from its calibration values.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>
    /// With <see cref="CalibrationMethod.Percentile"/>: the share of each tensor's calibration values the
    /// range keeps, clipping the rest equally at both ends (e.g. 0.9999); null takes <see cref="DefaultPercentile"/>.
    /// </summary>
    public double? Percentile { get; init; }

    /// <summary>
    /// The method as <c>bundle.json</c> records it (<c>graphs.image.calibrationMethod</c>): <c>minmax</c>,
    /// <c>percentile 0.9999</c>, <c>entropy</c> or <c>mse</c>.
    /// </summary>
    public string MethodLabel => Method switch
    {
        CalibrationMethod.Percentile => string.Create(CultureInfo.InvariantCulture, $"percentile {Percentile ?? DefaultPercentile}"),
        _ => Method.ToString().ToLowerInvariant(),
    };

    public static Int8Settings Default { get; } = new();

    /// <summary>
    /// The settings of <c>--calibration-method</c> and <c>--percentile</c>: a percentile alone means the
    /// percentile method; with another method it is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The percentile is given with a method other than percentile, or is outside (0.5, 1].</exception>
    public static Int8Settings FromOptions(CalibrationMethod? method, double? percentile, IReadOnlyList<string>? keepFloat = null, bool floatProjections = false)
    {
        if (percentile is { } share)
        {
            if (method is not (null or CalibrationMethod.Percentile))
            {
                throw new ArgumentException($"--percentile applies to --calibration-method percentile only, not {method.Value.ToString().ToLowerInvariant()}.");
            }

            if (!(share > 0.5 && share <= 1))
            {
                throw new ArgumentException(PercentileError(share));
            }
        }

        return new Int8Settings
        {
            KeepFloat = keepFloat ?? [],
            FloatProjections = floatProjections,
            Method = method ?? (percentile is null ? Default.Method : CalibrationMethod.Percentile),
            Percentile = percentile,
        };
    }

    internal static string PercentileError(double share) =>
        string.Create(CultureInfo.InvariantCulture, $"--percentile {share} is out of range: it is the share of values each range keeps, above 0.5 and at most 1 (e.g. 0.9999).");
}
