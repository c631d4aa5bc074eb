using System.Text.Json.Serialization;

namespace IpIqa.Worker.Http;

/// <summary>The body of a refused request: <c>{"error": {"code", "message"}}</c>.</summary>
internal sealed record ApiError(ApiErrorBody Error);

internal sealed record ApiErrorBody(string Code, string Message);

/// <summary>
/// <c>GET /v1/model</c>: the loaded bundle, the input it expects, whether results carry percentiles, the thresholds in
/// force where a request gives none, and the request limits.
/// </summary>
internal sealed record ModelDescription(
    string Name,
    string Version,
    string Hash,
    int InputSize,
    bool Calibrated,
    double? QualityThreshold,
    double? AlignmentThreshold,
    int MaxItems,
    long MaxImageBytes,
    int MaxPromptBytes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ModelDescription))]
internal sealed partial class HttpApiJsonContext : JsonSerializerContext;
