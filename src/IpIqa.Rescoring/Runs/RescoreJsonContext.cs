using System.Text.Json.Serialization;

namespace IpIqa.Rescoring;

/// <summary>Source-generated JSON for run checkpoints and journal lines.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(RescoreRecord))]
[JsonSerializable(typeof(RunState))]
internal sealed partial class RescoreJsonContext : JsonSerializerContext;
