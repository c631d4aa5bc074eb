using System.Text.Json;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The one serializer of the message contract (schema v1, UTF-8 JSON, camelCase, nulls left out).
/// Every sink writes results through it. Read requests with <see cref="ScoringRequestParser"/>, which validates.
/// </summary>
public static class ScoringJson
{
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] SerializeResult(ScoringResult result) =>
        JsonSerializer.SerializeToUtf8Bytes(result, ScoringJsonContext.Default.ScoringResult);

    public static string SerializeResultToString(ScoringResult result) =>
        JsonSerializer.Serialize(result, ScoringJsonContext.Default.ScoringResult);

    /// <summary>
    /// One line of a JSONL results file, newline included: the result JSON, then <paramref name="extra"/> properties
    /// (the worker's <c>resultKey</c> and <c>messageId</c>). Non-ASCII and <c>&lt;</c>, <c>+</c> stay readable:
    /// results are data, not HTML. The worker's results file and <c>ipiqa score --out x.jsonl</c> write through it.
    /// </summary>
    public static byte[] SerializeResultLine(ScoringResult result, params ReadOnlySpan<(string Name, string? Value)> extra)
    {
        var line = System.Text.Json.Nodes.JsonNode.Parse(SerializeResult(result))!.AsObject();
        foreach (var (name, value) in extra)
        {
            line[name] = value;
        }

        return System.Text.Encoding.UTF8.GetBytes(line.ToJsonString(LineOptions) + "\n");
    }

    /// <summary>Reads a result (for consumers and tests).</summary>
    /// <exception cref="JsonException">The bytes are not a result.</exception>
    public static ScoringResult DeserializeResult(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ScoringJsonContext.Default.ScoringResult)
        ?? throw new JsonException("The result JSON is null.");

    /// <summary>Writes a request, as a producer (for example nightly rescoring) enqueues it.</summary>
    public static byte[] SerializeRequest(ScoringRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(request, ScoringJsonContext.Default.ScoringRequest);
}
