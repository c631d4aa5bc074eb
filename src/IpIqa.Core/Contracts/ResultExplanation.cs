namespace IpIqa.Core.Contracts;

/// <summary>
/// The answer to a request's <c>"explain": true</c>: where its attention overlay (PNG) and raw map (JSON) were
/// stored, each a path or a blob URI; or, when the job was scored without an explanation, <see cref="Error"/> with a
/// code from <see cref="ExplainCodes"/>. Absent from results of requests that did not ask.
/// </summary>
public sealed record ResultExplanation(string? Overlay, string? Attention, ResultError? Error = null)
{
    public static ResultExplanation Refused(string code, string message) => new(null, null, new ResultError(code, message));
}
