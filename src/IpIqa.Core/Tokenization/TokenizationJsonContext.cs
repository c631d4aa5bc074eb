using System.Text.Json.Serialization;

namespace IpIqa.Core.Tokenization;

/// <summary>Source-generated JSON metadata for the tokenizer files.</summary>
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class TokenizationJsonContext : JsonSerializerContext;
