using System.Text.Json.Serialization;

namespace IpIqa.Cli.Commands;

/// <summary>One output line of <c>ipiqa tokenize --input</c>: ids padded to the context length, the token strings of the used positions.</summary>
internal sealed record TokenizeOutputLine(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] IReadOnlyList<long> Ids,
    [property: JsonPropertyName("tokens")] IReadOnlyList<string> Tokens,
    [property: JsonPropertyName("truncated")] bool Truncated);
