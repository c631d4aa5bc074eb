namespace IpIqa.Rescoring;

/// <summary>A page of the listing and the token that lists the next page (null after the last).</summary>
public sealed record RescorePage(IReadOnlyList<RescoreItem> Items, string? ContinuationToken);
