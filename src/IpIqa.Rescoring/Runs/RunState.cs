using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Rescoring;

/// <summary>
/// The checkpoint of a run (<c>run.json</c>): what it rescores, with which model, and how far the
/// listing got (the continuation token after the last page whose items are all journalled). A run
/// with a <see cref="BaseRunId"/> is a delta: its journal holds only what changed since that run
/// (see <see cref="RunRecords"/>); a run without one journals every item (#19).
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

    /// <summary>The finished run this run is a delta of; null: a full run, whose journal holds every item.</summary>
    [JsonPropertyName("baseRunId")] public string? BaseRunId { get; init; }

    /// <summary>Deltas between this run and the full run at the root of its chain (0: a full run).</summary>
    [JsonPropertyName("depth")] public int Depth { get; init; }

    /// <summary>The thresholds the run decided verdicts with; absent in runs recorded before they were kept (#15). A delta has its base's.</summary>
    [JsonPropertyName("thresholds")] public RunThresholds? Thresholds { get; init; }

    /// <summary>Where a change feed run stopped reading (<see cref="ChangeFeedSource.End"/>): the next run of the source reads on from here (#19).</summary>
    [JsonPropertyName("cursor")] public DateTimeOffset? Cursor { get; init; }

    /// <summary>The run's source lists only what changed (the change feed): the base run's records it did not list are kept, not dropped (#19).</summary>
    [JsonPropertyName("incremental")] public bool Incremental { get; init; }

    /// <summary>The checkpoint as <c>run.json</c> holds it (UTF-8 JSON).</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, RescoreJsonContext.Default.RunState);
}
