namespace IpIqa.Core.Contracts;

/// <summary>
/// Why a message is not a valid <see cref="ScoringRequest"/>: a stable <see cref="Code"/> from
/// <see cref="Errors.ErrorCodes"/>, a message naming the field, and whatever identifying fields
/// could still be read, so that the error result can reach the caller.
/// </summary>
public sealed record ScoringRequestError(
    string Code,
    string Message,
    string? JobId = null,
    string? CorrelationId = null,
    ImageReference? Image = null);
