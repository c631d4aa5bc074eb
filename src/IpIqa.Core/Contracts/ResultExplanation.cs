using System.Text.Json.Serialization;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The answer to a request's <c>"explain"</c>: where its attention overlay (PNG) and raw map (JSON) were
/// stored, each a path or a blob URI, and, when the request asked for words (<c>"explain": {"words": true}</c>), each
/// prompt word with the alignment of the prompt without it (<see cref="Words"/>). When the job was scored without an
/// explanation, or without the words it asked for, <see cref="Error"/> has a code from <see cref="ExplainCodes"/>.
/// Absent from results of requests that did not ask.
/// </summary>
public sealed record ResultExplanation(string? Overlay, string? Attention, ResultError? Error = null)
{
    /// <summary>Each prompt word and the alignment without it, in prompt order; only when asked for and made.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WordAttribution>? Words { get; init; }

    /// <summary>The words the image does not support (<see cref="WordAttribution.Unsupported"/>), in prompt order; empty without words.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> UnsupportedWords => Words is null ? [] : [.. Words.Where(w => w.Unsupported).Select(w => w.Word)];

    public static ResultExplanation Refused(string code, string message) => new(null, null, new ResultError(code, message));
}
