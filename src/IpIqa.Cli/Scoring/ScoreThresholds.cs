using IpIqa.Core.Bundles;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;

namespace IpIqa.Cli.Scoring;

/// <summary>Turns <c>--quality-threshold</c> / <c>--alignment-threshold</c> (a score or <c>pNN</c>) into raw thresholds, reading the bundle's calibration only when a percentile is given.</summary>
internal static class ScoreThresholds
{
    /// <summary>The thresholds, or null after writing what is wrong to stderr.</summary>
    public static Thresholds? Resolve(string bundleFolder, string? quality, string? alignment)
    {
        try
        {
            var q = quality is null ? null : ThresholdSpec.Parse(quality, "--quality-threshold");
            var a = alignment is null ? null : ThresholdSpec.Parse(alignment, "--alignment-threshold");
            var calibration = q?.IsPercentile == true || a?.IsPercentile == true
                ? ScoreCalibration.Of(BundleManifestSerializer.ReadFromFolder(bundleFolder))
                : ScoreCalibration.None;
            return calibration.Resolve(q, a);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }
}
