using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace IpIqa.Core.Rescoring;

/// <summary>
/// One line of a run's journal: an item and what became of it (scores, an error, or the job
/// enqueued for it), with the model hash and the item's version and prompt hash that decide skips.
/// </summary>
public sealed record RescoreRecord
{
    public const string StatusScored = "scored";
    public const string StatusFailed = "failed";
    public const string StatusEnqueued = "enqueued";

    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("location")] public required string Location { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("promptHash")] public string? PromptHash { get; init; }
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
            ModelHash = modelHash,
            Status = status,
        };
    }

    /// <summary>The first 16 hex characters of the SHA-256 of the prompt's UTF-8 bytes.</summary>
    public static string HashPrompt(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..16];

    /// <summary>Whether this record already covers <paramref name="item"/> scored by <paramref name="modelHash"/>.</summary>
    public bool Covers(RescoreItem item, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Status != StatusFailed
            && string.Equals(ModelHash, modelHash, StringComparison.Ordinal)
            && string.Equals(Version, item.Version, StringComparison.Ordinal)
            && string.Equals(PromptHash, item.Prompt is null ? null : HashPrompt(item.Prompt), StringComparison.Ordinal);
    }
}
