namespace IpIqa.Inference.Scoring;

/// <summary><c>pass</c>, or <c>fail</c> with the checks that failed (<c>quality</c>, <c>alignment</c>).</summary>
public sealed record Verdict(bool Pass, IReadOnlyList<string> FailedChecks)
{
    public string Word => Pass ? "pass" : "fail";

    /// <summary>Checks <paramref name="scores"/> against each threshold that is set; a score equal to its threshold passes.</summary>
    public static Verdict Evaluate(ModelScores scores, ScoreThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(thresholds);
        var failed = new List<string>(2);
        if (thresholds.Quality is { } quality && scores.Quality < quality)
        {
            failed.Add("quality");
        }

        if (thresholds.Alignment is { } alignment && scores.Alignment < alignment)
        {
            failed.Add("alignment");
        }

        return new Verdict(failed.Count == 0, failed);
    }
}
