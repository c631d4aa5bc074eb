using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>Scores or an error, with the time spent decoding and in the model and the batch size it ran in.</summary>
public sealed record ScorerOutcome(Scores? Scores, ResultError? Error, TimeSpan Decode, TimeSpan Model, int BatchSize);
