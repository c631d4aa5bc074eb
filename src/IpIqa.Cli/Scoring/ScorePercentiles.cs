using IpIqa.Core.Calibration;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Scoring;

/// <summary>The percentiles (0 to 100) of a quality and an alignment score in a bundle's calibration tables.</summary>
internal sealed record ScorePercentiles(double Quality, double Alignment)
{
    /// <summary>The percentiles of <paramref name="scores"/>, or null when either table is absent.</summary>
    public static ScorePercentiles? Of(ModelScores? scores, PercentileTable? quality, PercentileTable? alignment) =>
        scores is null || quality is null || alignment is null
            ? null
            : new ScorePercentiles(quality.PercentileOf(scores.Quality), alignment.PercentileOf(scores.Alignment));
}
