namespace IpIqa.Core.Contracts;

/// <summary>
/// A scoring job, schema v1: score <see cref="Image"/> against <see cref="Prompt"/>.
/// Parse incoming messages with <see cref="ScoringRequestParser"/>; write them with <see cref="ScoringJson"/>.
/// </summary>
/// <param name="JobId">The caller's id for the job; every result carries it.</param>
/// <param name="Image">The image to score.</param>
/// <param name="Prompt">The prompt the image was generated from.</param>
/// <param name="Thresholds">Optional per-job minimum scores; they override the worker's defaults output by output.</param>
/// <param name="CorrelationId">Optional id echoed in the result.</param>
/// <param name="Attributes">Optional string map echoed in the result.</param>
/// <param name="SchemaVersion">The message schema version; only 1 exists.</param>
public sealed record ScoringRequest(
    string JobId,
    ImageReference Image,
    string Prompt,
    Thresholds? Thresholds = null,
    string? CorrelationId = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    int SchemaVersion = ScoringRequest.CurrentSchemaVersion)
{
    public const int CurrentSchemaVersion = 1;
}
