using System.Text.Json.Serialization;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The outcome of a job, schema v1. A scored result has <see cref="Scores"/>, <see cref="Verdict"/>,
/// <see cref="Timings"/>, the request's <see cref="Attributes"/> and, when the bundle is calibrated,
/// <see cref="Percentiles"/>; an error result has
/// <see cref="Error"/> instead, and its <see cref="JobId"/> is null only when the message was too
/// broken to name its job. The factories strip the image URI and any URI in the error message of
/// user information, query and fragment (<see cref="UriRedaction"/>): a SAS token is never recorded.
/// Serialize with <see cref="ScoringJson"/>.
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

    /// <summary>Each score's percentile in the bundle's calibration; only when the bundle has one.</summary>
    public ScorePercentiles? Percentiles { get; init; }

    /// <summary>
    /// The prompt the image was scored against: the request's, or a blob event's from the image metadata.
    /// Null when the input never had a readable prompt.
    /// </summary>
    public string? Prompt { get; init; }

    /// <summary>Only when the request asked for an explanation: where it was stored, or why there is none.</summary>
    public ResultExplanation? Explanation { get; init; }

    public static ScoringResult Scored(ScoringRequest request, Scores scores, Verdict verdict, ModelInfo model, DateTimeOffset scoredAt, ResultTimings timings, ScorePercentiles? percentiles = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.JobId, request.CorrelationId, UriRedaction.Strip(request.Image), scores, verdict, model, scoredAt, timings, request.Attributes, null) { Percentiles = percentiles, Prompt = request.Prompt };
    }

    public static ScoringResult Failed(ScoringRequest request, ResultError error, ModelInfo? model, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(error);
        return new(request.JobId, request.CorrelationId, UriRedaction.Strip(request.Image), null, null, model, scoredAt, null, null, error with { Message = UriRedaction.StripAll(error.Message) }) { Prompt = request.Prompt };
    }

    public static ScoringResult Failed(ScoringRequestError error, ModelInfo? model, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.JobId, error.CorrelationId, UriRedaction.Strip(error.Image), null, null, model, scoredAt, null, null, new ResultError(error.Code, UriRedaction.StripAll(error.Message)));
    }
}
