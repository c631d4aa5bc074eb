using System.Security.Cryptography;
using System.Text;
using IpIqa.Core.Contracts;

namespace IpIqa.Core.Jobs;

/// <summary>
/// Idempotency keys of results: lower-case hex SHA-256 (64 characters, safe as a table RowKey or a
/// message id). A scored result's key is image identity (location + version) + prompt hash + model hash,
/// so a redelivered job rewrites the same result and a changed image or model gets a new one.
/// </summary>
public static class ResultKeys
{
    /// <summary>The key of a job whose image was read: <paramref name="imageIdentity"/> names its version.</summary>
    public static string ForImage(string imageIdentity, string prompt, string modelHash) =>
        Hash($"image\n{imageIdentity}\n{PromptHash(prompt)}\n{modelHash}");

    /// <summary>
    /// The key of a parsed job whose image could not be read (no version is known), or whose image gave
    /// no prompt (a blob event: the prompt is then named by its metadata key).
    /// </summary>
    public static string ForRequest(ScoringRequest request, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(request);
        var location = request.Image.Uri is { } uri ? $"uri:{uri}" : $"path:{request.Image.Path}";
        var prompt = request.Prompt is { } text ? PromptHash(text) : $"metadata:{request.PromptMetadataKey}";
        return Hash($"request\n{location}\n{prompt}\n{modelHash}");
    }

    /// <summary>The key of a message that could not be parsed: its bytes.</summary>
    public static string ForMessage(ReadOnlySpan<byte> body, string modelHash) =>
        Hash($"message\n{Convert.ToHexStringLower(SHA256.HashData(body))}\n{modelHash}");

    /// <summary>Lower-case hex SHA-256 of the prompt's UTF-8 bytes.</summary>
    public static string PromptHash(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
