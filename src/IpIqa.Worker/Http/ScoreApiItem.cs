using IpIqa.Core.Contracts;

namespace IpIqa.Worker.Http;

/// <summary>
/// One item of a <c>POST /v1/score</c> request: a request the queue parser accepted (with its image bytes when it
/// came inline), or the error result it gets instead of being scored.
/// </summary>
internal sealed record ScoreApiItem(ScoringRequest? Request, ScoringRequestError? Error, byte[]? Image)
{
    public static ScoreApiItem Failed(string code, string message, string? jobId) => new(null, new ScoringRequestError(code, message, jobId), null);
}
