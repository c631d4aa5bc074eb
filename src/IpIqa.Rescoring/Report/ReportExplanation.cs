using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// One explained rejected image in the report: its attention overlay as a small base64 JPEG (null when it could not be
/// made), the explanation as its result names it (stored files, words, or why not), and the error of an image that no
/// longer scored.
/// </summary>
internal sealed record ReportExplanation(string Key, string? OverlayJpegBase64, ResultExplanation? Explanation, ResultError? Error = null);
