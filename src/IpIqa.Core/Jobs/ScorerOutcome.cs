using System.Diagnostics.CodeAnalysis;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>One item's scores or its error, and where its time went (<see cref="ScoreTimings"/>).</summary>
public sealed record ScorerOutcome(Scores? Scores, ResultError? Error, ScoreTimings Timings)
{
    [MemberNotNullWhen(true, nameof(Scores))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Scores is not null;
}
