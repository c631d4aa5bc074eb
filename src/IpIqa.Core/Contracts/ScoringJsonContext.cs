using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Core.Contracts;

/// <summary>Source-generated JSON metadata of the message contract: camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ScoringRequest))]
[JsonSerializable(typeof(ScoringResult))]
internal sealed partial class ScoringJsonContext : JsonSerializerContext;
