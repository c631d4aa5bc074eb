namespace IpIqa.Rescoring;

/// <summary>One of the worst images in the report: key, prompt, scores and a base64 JPEG thumbnail (null when it could not be read).</summary>
internal sealed record ReportThumbnail(string Key, string? Prompt, double Quality, double Alignment, string? JpegBase64);
