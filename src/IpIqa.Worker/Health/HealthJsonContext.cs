using System.Text.Json.Serialization;

namespace IpIqa.Worker.Health;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
