using System.Text.Json.Serialization;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The outcome of a job, schema v1. A scored result has <see cref="Scores"/>, <see cref="Verdict"/>,
/// <see cref="Timings"/> and the request's <see cref="Attributes"/>; an error result has
/// <see cref="Error"/> instead, and its <see cref="JobId"/> is null only when the message was too
/// broken to name its job. Serialize with <see cref="ScoringJson"/>.
/// </summary>
public sealed record ScoringResult(
    string? JobId,
    string? CorrelationId,
    ImageReference? Image,
    Scores? Scores,
    Verdict? Verdict,
    ModelInfo? Model,
    DateTimeOffset ScoredAt,
    ResultTimings? Timings,
    IReadOnlyDictionary<string, string>? Attributes,
    ResultError? Error)
{
    [JsonIgnore]
    public bool IsError => Error is not null;

    public static ScoringResult Scored(ScoringRequest request, Scores scores, Verdict verdict, ModelInfo model, DateTimeOffset scoredAt, ResultTimings timings)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.JobId, request.CorrelationId, request.Image, scores, verdict, model, scoredAt, timings, request.Attributes, null);
    }

    public static ScoringResult Failed(ScoringRequest request, ResultError error, ModelInfo? model, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.JobId, request.CorrelationId, request.Image, null, null, model, scoredAt, null, null, error);
    }

    public static ScoringResult Failed(ScoringRequestError error, ModelInfo? model, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.JobId, error.CorrelationId, error.Image, null, null, model, scoredAt, null, null, new ResultError(error.Code, error.Message));
    }
}
