using IpIqa.Core.Metrics;
using IpIqa.Training.Training;

namespace IpIqa.Training.Evaluation;

/// <summary>
/// The quality rows of #14's goal table, on a synthetic set (<c>ipiqa-train synth</c>), from the predictions and
/// the table's labels (<see cref="Data.Synthetic.SynthTableLabels"/>):
/// <list type="bullet">
/// <item>clean beats degraded, same prompt: over every pair of a clean and a degraded image of one prompt with
/// the same alignment deviations (so only quality differs), the share where the clean one scores higher quality
/// (ties count half);</item>
/// <item>the mean predicted quality of the clean images against their mean MOS, and the least-squares line of
/// predicted quality on MOS over all images: slope 1 and intercept 0 when predictions span the MOS range, a slope
/// under 1 when they are compressed toward the middle;</item>
/// <item>alignment SRCC without the missing-object images (the ones any model finds easy).</item>
/// </list>
/// </summary>
public static class QualityRangeCheck
{
    public const string Clean = "clean";
    public const string MissingObject = "missing_object";

    /// <summary>What the check found. Values are NaN (SRCC null) where no image or pair qualifies.</summary>
    public sealed record Result(
        int Pairs,
        double CleanBeatsDegraded,
        int CleanImages,
        double CleanMeanPredicted,
        double CleanMeanMos,
        double Slope,
        double Intercept,
        int Images,
        double? AlignmentSrccWithoutMissingObject,
        int WithoutMissingObject);

    /// <summary>
    /// <paramref name="predictions"/> (quality first, alignment second when present) with <paramref name="labels"/>
    /// (by image file name); images without a label are left out.
    /// </summary>
    public static Result Of(Predictions predictions, IReadOnlyDictionary<string, (string Quality, string Alignment)> labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        var rows = predictions.Samples.Select((s, i) => (Sample: s, Predicted: predictions.Predicted[i]))
            .Where(r => labels.ContainsKey(Path.GetFileName(r.Sample.ImagePath)))
            .Select(r => (r.Sample, r.Predicted, Label: labels[Path.GetFileName(r.Sample.ImagePath)]))
            .ToArray();

        var (wins, pairs) = (0.0, 0);
        foreach (var group in rows.GroupBy(r => (r.Sample.Prompt, r.Label.Alignment)))
        {
            var clean = group.Where(r => r.Label.Quality == Clean).ToArray();
            foreach (var degraded in group.Where(r => r.Label.Quality != Clean))
            {
                foreach (var c in clean)
                {
                    pairs++;
                    wins += c.Predicted[0] > degraded.Predicted[0] ? 1 : c.Predicted[0] == degraded.Predicted[0] ? 0.5 : 0;
                }
            }
        }

        var cleanRows = rows.Where(r => r.Label.Quality == Clean).ToArray();
        var (slope, intercept) = Line(rows.Select(r => r.Sample.Quality).ToArray(), rows.Select(r => r.Predicted[0]).ToArray());
        var present = rows.Where(r => r.Predicted.Length > 1 && r.Sample.Alignment is not null && !r.Label.Alignment.Contains(MissingObject, StringComparison.Ordinal)).ToArray();
        var srcc = present.Length > 0 && predictions.Outputs > 1
            ? Correlation.Spearman(present.Select(r => r.Predicted[1]).ToArray(), present.Select(r => r.Sample.Alignment!.Value).ToArray())
            : null;
        return new Result(
            pairs,
            pairs == 0 ? double.NaN : wins / pairs,
            cleanRows.Length,
            cleanRows.Length == 0 ? double.NaN : cleanRows.Average(r => r.Predicted[0]),
            cleanRows.Length == 0 ? double.NaN : cleanRows.Average(r => r.Sample.Quality),
            slope,
            intercept,
            rows.Length,
            srcc,
            present.Length);
    }

    /// <summary>Least-squares slope and intercept of <paramref name="y"/> on <paramref name="x"/>; NaN when x does not vary.</summary>
    public static (double Slope, double Intercept) Line(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var (mx, my) = (x.Average(), y.Average());
        var sxx = x.Sum(v => (v - mx) * (v - mx));
        var sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        var slope = sxx > 0 ? sxy / sxx : double.NaN;
        return (slope, my - (slope * mx));
    }
}
