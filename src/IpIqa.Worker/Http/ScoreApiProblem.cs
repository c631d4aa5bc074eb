namespace IpIqa.Worker.Http;

/// <summary>
/// A request the API refuses as a whole, with its HTTP status and a code from docs/http.md; the body is
/// <c>{"error": {"code", "message"}}</c>. A problem with one item is that item's error result instead.
/// </summary>
internal sealed class ScoreApiProblem(int status, string code, string message) : Exception(message)
{
    public const string RequestInvalid = "request_invalid";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Overloaded = "overloaded";
    public const string Unavailable = "unavailable";
    public const string Unauthorized = "unauthorized";

    public int Status { get; } = status;

    public string Code { get; } = code;
}
