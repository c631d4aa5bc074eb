using System.Diagnostics.CodeAnalysis;
using IpIqa.Core.Bundles;

namespace IpIqa.Inference.Scoring;

/// <summary>The outcome of one request: scores, or an error; always the model and the timings.</summary>
public sealed record ScoreResult(ScoreRequest Request, ModelIdentity Model, ModelScores? Scores, ScoreError? Error, ScoreTimings Timings)
{
    [MemberNotNullWhen(true, nameof(Scores))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Scores is not null;
}
