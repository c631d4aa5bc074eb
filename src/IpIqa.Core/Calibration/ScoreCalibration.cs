using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Calibration;

/// <summary>
/// A bundle's calibration as percentile tables, one per output (either may be absent). It maps raw
/// scores to percentiles for results, and percentile thresholds (<c>p20</c>) to raw ones.
/// </summary>
public sealed record ScoreCalibration(PercentileTable? Quality, PercentileTable? Alignment)
{
    public static ScoreCalibration None { get; } = new(null, null);

    /// <summary>True when both outputs have a table, so results can carry percentiles.</summary>
    public bool IsComplete => Quality is not null && Alignment is not null;

    /// <summary>The tables of <paramref name="manifest"/>'s calibration, or <see cref="None"/> when it has none.</summary>
    /// <exception cref="InvalidDataException">A stored table is malformed.</exception>
    public static ScoreCalibration Of(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Calibration is not { } calibration)
        {
            return None;
        }

        return new ScoreCalibration(Table(calibration, "quality"), Table(calibration, "alignment"));
    }

    /// <summary>The percentiles (0 to 100) of a pair of raw scores, or null unless both outputs have a table.</summary>
    public ScorePercentiles? PercentilesOf(double quality, double alignment) =>
        Quality is { } q && Alignment is { } a ? new ScorePercentiles(q.PercentileOf(quality), a.PercentileOf(alignment)) : null;

    /// <summary>Raw thresholds from specs given as scores or percentiles.</summary>
    /// <exception cref="InvalidDataException">A percentile for an output with no table.</exception>
    public Thresholds Resolve(ThresholdSpec? quality, ThresholdSpec? alignment) =>
        new(quality?.Resolve(Quality, "quality"), alignment?.Resolve(Alignment, "alignment"));

    private static PercentileTable? Table(BundleCalibration calibration, string output) =>
        calibration.Percentiles.TryGetValue(output, out var values) ? PercentileTable.FromValues(values, output) : null;
}
