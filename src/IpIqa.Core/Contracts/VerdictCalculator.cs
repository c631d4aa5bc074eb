using System.Globalization;

namespace IpIqa.Core.Contracts;

/// <summary>
/// Decides pass or fail from the scores and the thresholds in force: the request's thresholds
/// where given, else the configured <paramref name="defaults"/>, output by output. An output with
/// no threshold is not checked, so with no thresholds at all every job passes with no checks.
/// A score fails when it is below its threshold (or is not a number).
/// </summary>
public sealed class VerdictCalculator(Thresholds? defaults = null)
{
    public Thresholds Defaults { get; } = defaults ?? Thresholds.None;

    public Verdict Decide(Scores scores, Thresholds? requested = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var inForce = (requested ?? Thresholds.None).Over(Defaults);
        var failed = new List<string>(2);
        Check("quality", scores.Quality, inForce.Quality, failed);
        Check("alignment", scores.Alignment, inForce.Alignment, failed);
        return new Verdict(failed.Count == 0 ? Verdict.Pass : Verdict.Fail, failed);
    }

    private static void Check(string output, double score, double? threshold, List<string> failed)
    {
        if (threshold is { } minimum && !(score >= minimum))
        {
            failed.Add($"{output}<{minimum.ToString("0.00##########", CultureInfo.InvariantCulture)}");
        }
    }
}
