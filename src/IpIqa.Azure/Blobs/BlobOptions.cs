namespace IpIqa.Azure.Blobs;

/// <summary>Where images may come from. Section <c>IpIqa:Blob</c>.</summary>
public sealed record BlobOptions
{
    public const string SectionName = "IpIqa:Blob";

    /// <summary><c>https://ACCOUNT.blob.core.windows.net</c>: the default account (token credential).</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>A connection string, for development and tests only (Azurite); images then come from its account only.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Storage accounts images may come from. Nothing else is ever fetched.</summary>
    public IReadOnlyList<string> AllowedAccounts { get; init; } = [];

    /// <summary>Containers images may come from; empty allows any container of an allowed account.</summary>
    public IReadOnlyList<string> AllowedContainers { get; init; } = [];

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public bool IsConfigured => UsesConnectionString || ServiceUri is not null || AllowedAccounts.Count > 0;
}
