using System.Text.Json;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The one serializer of the message contract (schema v1, UTF-8 JSON, camelCase, nulls left out).
/// Every sink writes results through it. Read requests with <see cref="ScoringRequestParser"/>, which validates.
/// </summary>
public static class ScoringJson
{
    public static byte[] SerializeResult(ScoringResult result) =>
        JsonSerializer.SerializeToUtf8Bytes(result, ScoringJsonContext.Default.ScoringResult);

    public static string SerializeResultToString(ScoringResult result) =>
        JsonSerializer.Serialize(result, ScoringJsonContext.Default.ScoringResult);

    /// <summary>Reads a result (for consumers and tests).</summary>
    /// <exception cref="JsonException">The bytes are not a result.</exception>
    public static ScoringResult DeserializeResult(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ScoringJsonContext.Default.ScoringResult)
        ?? throw new JsonException("The result JSON is null.");

    /// <summary>Writes a request, as a producer (for example nightly rescoring) enqueues it.</summary>
    public static byte[] SerializeRequest(ScoringRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(request, ScoringJsonContext.Default.ScoringRequest);
}
