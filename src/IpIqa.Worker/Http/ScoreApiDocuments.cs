using IpIqa.Core.Contracts;

namespace IpIqa.Worker.Http;

/// <summary>The JSON body of <c>POST /v1/score</c>, as the OpenAPI document describes it (the handler reads it with the queue's parser).</summary>
internal sealed record ScoreApiRequestDocument(IReadOnlyList<ScoreApiItemDocument> Items);

/// <summary>
/// One item: the image as <c>uri</c> (an allowed storage account) or <c>base64</c>, its prompt, and optionally the
/// thresholds, job id, correlation id and attributes of a queue message (docs/messages.md).
/// </summary>
internal sealed record ScoreApiItemDocument(
    ScoreApiImageDocument Image,
    string Prompt,
    Thresholds? Thresholds,
    string? JobId,
    string? CorrelationId,
    IReadOnlyDictionary<string, string>? Attributes);

internal sealed record ScoreApiImageDocument(string? Uri, string? Base64);

/// <summary>The results, one per item in item order, each the queue's result contract.</summary>
internal sealed record ScoreApiResponseDocument(IReadOnlyList<ScoringResult> Results);
