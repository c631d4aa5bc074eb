using System.Security.Cryptography;
using System.Text;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Idempotency keys of results: lower-case hex SHA-256 (64 characters, safe as a table RowKey or a
/// message id). The key names the job, never the image: every job gets its own result, and a
/// redelivery of the same job rewrites that result.
/// <list type="bullet">
/// <item>A message: its transport message id (stable across redeliveries on every transport) + the
/// SHA-256 of its body + the model hash. Two messages on the same image and prompt never collapse,
/// and neither do two identical lines of a local jobs file (their ids, <c>FILE:LINE</c>, differ).</item>
/// <item>A <c>BlobCreated</c> event: its event id + the model hash. Event Grid may deliver one event
/// as several queue messages (each with a new message id), so the event id is the stable job id.</item>
/// </list>
/// The model hash is part of every key, so rescoring with another model writes new results.
/// </summary>
public static class ResultKeys
{
    /// <summary>The key of <paramref name="job"/>; <paramref name="request"/> is its parsed body, null when it did not parse.</summary>
    public static string For(IReceivedJob job, ScoringRequest? request, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(job);
        return request?.PromptMetadataKey is not null
            ? ForEvent(request.JobId, modelHash)
            : ForMessage(job.MessageId, job.Body.Span, modelHash);
    }

    /// <summary>The key of <paramref name="job"/> before it is handled (the body is parsed the same way the processor parses it).</summary>
    public static string For(IReceivedJob job, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(job);
        ScoringRequestParser.TryParse(job.Body.Span, PromptMetadata.DefaultKey, out var request, out _);
        return For(job, request, modelHash);
    }

    /// <summary>The key of a message: its transport id and its bytes.</summary>
    public static string ForMessage(string messageId, ReadOnlySpan<byte> body, string modelHash) =>
        Hash($"message\n{messageId}\n{Convert.ToHexStringLower(SHA256.HashData(body))}\n{modelHash}");

    /// <summary>The key of a storage event: its event id.</summary>
    public static string ForEvent(string eventId, string modelHash) => Hash($"event\n{eventId}\n{modelHash}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
