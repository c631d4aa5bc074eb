using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>The range of an output on its training MOS scale.</summary>
public sealed record ScoreRange([property: JsonPropertyName("min")] double Min, [property: JsonPropertyName("max")] double Max);
