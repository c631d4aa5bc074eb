using System.Text.Json.Serialization;

namespace IpIqa.Rescoring;

/// <summary>Source-generated JSON for run checkpoints, journal lines and the explanation index.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(RescoreRecord))]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(ExplanationIndex.Line), TypeInfoPropertyName = "ExplanationIndexLine")]
internal sealed partial class RescoreJsonContext : JsonSerializerContext;
