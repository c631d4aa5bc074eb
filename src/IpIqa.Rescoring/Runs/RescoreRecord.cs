using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Rescoring;

/// <summary>
/// One line of a run's journal: an item and what became of it (scores, an error, or the job
/// enqueued for it), with the model hash and the item's version and prompt hash that decide skips.
/// </summary>
public sealed record RescoreRecord
{
    public const string StatusScored = "scored";
    public const string StatusFailed = "failed";
    public const string StatusEnqueued = "enqueued";

    /// <summary>The image was deleted: a journal line that removes the key from the run's results (#19).</summary>
    public const string StatusDeleted = "deleted";

    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("location")] public required string Location { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("promptHash")] public string? PromptHash { get; init; }

    /// <summary>The version of the prompt's source when it was read (<see cref="RescoreItem.PromptVersion"/>): a rerun that finds it unchanged does not read the prompt (#19).</summary>
    [JsonPropertyName("promptVersion")] public string? PromptVersion { get; init; }

    [JsonPropertyName("modelHash")] public required string ModelHash { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("quality")] public double? Quality { get; init; }
    [JsonPropertyName("alignment")] public double? Alignment { get; init; }
    [JsonPropertyName("verdict")] public string? Verdict { get; init; }
    [JsonPropertyName("failedChecks")] public string? FailedChecks { get; init; }
    [JsonPropertyName("errorCode")] public string? ErrorCode { get; init; }
    [JsonPropertyName("errorMessage")] public string? ErrorMessage { get; init; }
    [JsonPropertyName("jobId")] public string? JobId { get; init; }

    /// <summary>True when the record was carried forward from a previous run with the same model instead of being rescored.</summary>
    [JsonPropertyName("skipped")] public bool Skipped { get; init; }

    /// <summary>A record for <paramref name="item"/> with its identity fields filled in.</summary>
    public static RescoreRecord For(RescoreItem item, string modelHash, string status)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new RescoreRecord
        {
            Key = item.Key,
            Location = item.Location,
            Version = item.Version,
            Size = item.Size,
            Prompt = item.Prompt,
            PromptHash = item.Prompt is null ? null : HashPrompt(item.Prompt),
            PromptVersion = item.PromptVersion,
            ModelHash = modelHash,
            Status = status,
        };
    }

    /// <summary>The record of <paramref name="item"/> scored (or failed) by the <see cref="ScoringService"/>.</summary>
    public static RescoreRecord From(RescoreItem item, string modelHash, ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is { } error)
        {
            return For(item, modelHash, StatusFailed) with { ErrorCode = error.Code, ErrorMessage = error.Message };
        }

        return For(item, modelHash, StatusScored) with
        {
            Quality = result.Scores?.Quality,
            Alignment = result.Scores?.Alignment,
            Verdict = result.Verdict?.Outcome,
            FailedChecks = result.Verdict is { Failed.Count: > 0 } verdict ? string.Join(';', verdict.Failed) : null,
        };
    }

    /// <summary>
    /// This record as the one result contract (<see cref="ScoringResult"/>), for the shared result writers:
    /// the job id (the item's key when none was enqueued), the image, the prompt, scores and verdict or error,
    /// <paramref name="model"/> and the percentiles of <paramref name="calibration"/>.
    /// </summary>
    public ScoringResult ToResult(ModelInfo model, ScoreCalibration calibration, DateTimeOffset scoredAt)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        // A blob by its URI; a file as the folder or manifest names it (its key), as ipiqa score writes it.
        var image = Uri.TryCreate(Location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new ImageReference(Uri: Location)
            : new ImageReference(Path: Key);
        var scores = Quality is { } q && Alignment is { } a ? new Scores(q, a) : null;
        var verdict = Verdict is null ? null : new Verdict(Verdict, FailedChecks is null ? [] : FailedChecks.Split(';'));
        var error = ErrorCode is null ? null : new ResultError(ErrorCode, ErrorMessage ?? "");
        return new ScoringResult(JobId ?? Key, null, image, scores, verdict, model, scoredAt, null, null, error)
        {
            Prompt = Prompt,
            Percentiles = scores is null ? null : calibration.PercentilesOf(scores.Quality, scores.Alignment)?.Rounded(),
        };
    }

    /// <summary>The first 16 hex characters of the SHA-256 of the prompt's UTF-8 bytes.</summary>
    public static string HashPrompt(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..16];

    /// <summary>
    /// Whether this record already covers <paramref name="item"/> scored by <paramref name="modelHash"/>. The prompt is
    /// unchanged when its source's version is this record's (then it is not read, #19), else when its hash is this record's.
    /// </summary>
    public bool Covers(RescoreItem item, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Status != StatusFailed
            && string.Equals(ModelHash, modelHash, StringComparison.Ordinal)
            && string.Equals(Version, item.Version, StringComparison.Ordinal)
            && ((PromptVersion is not null && string.Equals(PromptVersion, item.PromptVersion, StringComparison.Ordinal))
                || string.Equals(PromptHash, item.Prompt is null ? null : HashPrompt(item.Prompt), StringComparison.Ordinal));
    }
}
