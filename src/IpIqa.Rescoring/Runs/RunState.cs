using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Rescoring;

/// <summary>
/// The checkpoint of a run (<c>run.json</c>): what it rescores, with which model, and how far the
/// listing got (the continuation token after the last page whose items are all journalled).
/// </summary>
public sealed record RunState
{
    [JsonPropertyName("runId")] public required string RunId { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("modelHash")] public required string ModelHash { get; init; }
    [JsonPropertyName("started")] public DateTimeOffset Started { get; init; }
    [JsonPropertyName("continuationToken")] public string? ContinuationToken { get; init; }
    [JsonPropertyName("pagesDone")] public int PagesDone { get; init; }
    [JsonPropertyName("completed")] public DateTimeOffset? Completed { get; init; }

    /// <summary>Where a change feed run stopped reading (<see cref="ChangeFeedSource.End"/>): the next run of the source reads on from here (#19).</summary>
    [JsonPropertyName("cursor")] public DateTimeOffset? Cursor { get; init; }

    /// <summary>The checkpoint as <c>run.json</c> holds it (UTF-8 JSON).</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, RescoreJsonContext.Default.RunState);
}
