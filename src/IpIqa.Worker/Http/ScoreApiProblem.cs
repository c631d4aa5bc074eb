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
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>
    /// The body for a refusal that ASP.NET Core makes before the handler (routing, authentication),
    /// which would otherwise be empty: every error the API sends has the same shape.
    /// </summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        401 => (Unauthorized, "A bearer token from the API's Entra ID tenant, for its audience, is required."),
        403 => (Forbidden, "The token lacks a role the API requires (IpIqa:Http:Roles)."),
        404 => (NotFound, "No such path: the API serves POST /v1/score, GET /v1/model and GET /openapi/v1.json."),
        405 => (MethodNotAllowed, "The path does not take this method: POST /v1/score, GET /v1/model."),
        415 => (UnsupportedMediaType, "Send the request as application/json or multipart/form-data."),
        _ => ("http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), "The request was refused."),
    };

    public int Status { get; } = status;

    public string Code { get; } = code;
}
