using IpIqa.Core.Bundles;
using IpIqa.Core.Calibration;

namespace IpIqa.Cli.Rescoring;

/// <summary>The percentile tables of a bundle's calibration, per output, or nulls when it has none.</summary>
internal static class BundleCalibrations
{
    public static (PercentileTable? Quality, PercentileTable? Alignment) Tables(BundleManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Calibration is not { } calibration)
        {
            return (null, null);
        }

        return (Table(calibration, "quality"), Table(calibration, "alignment"));
    }

    private static PercentileTable? Table(BundleCalibration calibration, string output) =>
        calibration.Percentiles.TryGetValue(output, out var values) ? PercentileTable.FromValues(values, output) : null;
}
