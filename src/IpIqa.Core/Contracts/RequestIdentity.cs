namespace IpIqa.Core.Contracts;

/// <summary>The fields that route a result back to its caller, read leniently from a message that may be invalid.</summary>
internal readonly record struct RequestIdentity(string? JobId, string? CorrelationId, ImageReference? Image);
