namespace IpIqa.Core.Contracts;

/// <summary>
/// Where a job's image is: <see cref="Uri"/> (a blob, for the Azure transport) or
/// <see cref="Path"/> (a file under the local transport's root). Exactly one is set.
/// </summary>
public sealed record ImageReference(string? Uri = null, string? Path = null);
