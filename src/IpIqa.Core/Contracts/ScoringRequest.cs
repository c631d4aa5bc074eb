using System.Text.Json.Serialization;

namespace IpIqa.Core.Contracts;

/// <summary>
/// A scoring job, schema v1: score <see cref="Image"/> against <see cref="Prompt"/>.
/// Parse incoming messages with <see cref="ScoringRequestParser"/>; write them with <see cref="ScoringJson"/>.
/// A job made from a blob event carries no prompt: <see cref="Prompt"/> is null and
/// <see cref="PromptMetadataKey"/> names the image's metadata value that holds it.
/// </summary>
/// <param name="JobId">The caller's id for the job; every result carries it.</param>
/// <param name="Image">The image to score.</param>
/// <param name="Prompt">The prompt the image was generated from; null only when <see cref="PromptMetadataKey"/> is set.</param>
/// <param name="Thresholds">Optional per-job minimum scores; they override the worker's defaults output by output.</param>
/// <param name="CorrelationId">Optional id echoed in the result.</param>
/// <param name="Attributes">Optional string map echoed in the result.</param>
/// <param name="SchemaVersion">The message schema version; only 1 exists.</param>
public sealed record ScoringRequest(
    string JobId,
    ImageReference Image,
    string? Prompt,
    Thresholds? Thresholds = null,
    string? CorrelationId = null,
    IReadOnlyDictionary<string, string>? Attributes = null,
    int SchemaVersion = ScoringRequest.CurrentSchemaVersion)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>
    /// Set when the message carried no prompt (a BlobCreated event): the prompt is the image's
    /// metadata value under this key, read with the image (see <see cref="PromptMetadata"/>).
    /// Never part of the wire format.
    /// </summary>
    [JsonIgnore]
    public string? PromptMetadataKey { get; init; }

    /// <summary>
    /// The caller asks for an explanation (an attention overlay and the raw map) stored beside the result and named
    /// in it. Honoured only where the operator enabled explanations; otherwise the job is scored as usual and its
    /// result says the explanation was refused (<see cref="ExplainCodes"/>). Written only when true.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Explain { get; init; }

    /// <summary>
    /// With <see cref="Explain"/>: also attribute the alignment to each prompt word (<c>"explain": {"words": true}</c>),
    /// one more text-tower and head run per word (a whole model run without a head graph), within the front door's word cap. Read by <see cref="ScoringRequestParser"/>; never
    /// written (a written request asks for the overlay only).
    /// </summary>
    [JsonIgnore]
    public bool ExplainWords { get; init; }
}
