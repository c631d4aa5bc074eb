using IpIqa.Core.Contracts;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Scoring;

/// <summary>One output line: the input as written and its scores and verdict, or its error.</summary>
internal sealed record ScoreOutcome(string Image, string? Prompt, ModelScores? Scores, Verdict? Verdict, ScoreError? Error, ScoreTimings Timings)
{
    /// <summary>Each score's percentile (0 to 100) in the bundle's calibration, when it has one.</summary>
    public ScorePercentiles? Percentiles { get; init; }

    public static ScoreOutcome From(ScoreInput input, ScoreResult result, VerdictCalculator verdicts) =>
        result.IsSuccess
            ? new(input.Image, input.Prompt, result.Scores, verdicts.Decide(new Scores(result.Scores.Quality, result.Scores.Alignment)), null, result.Timings)
            : new(input.Image, input.Prompt, null, null, result.Error, result.Timings);

    public static ScoreOutcome Failed(ScoreInput input) =>
        new(input.Image, input.Prompt, null, null, new ScoreError(input.ProblemCode!, input.Problem!), ScoreTimings.None);
}
