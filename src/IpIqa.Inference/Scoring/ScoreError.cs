namespace IpIqa.Inference.Scoring;

/// <summary>Why one item was not scored: a stable code (see <see cref="Core.Errors.ErrorCodes"/>) and a message.</summary>
public sealed record ScoreError(string Code, string Message);
