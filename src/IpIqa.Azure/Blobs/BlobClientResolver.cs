using System.Collections.Concurrent;
using Azure.Core;
using Azure.Storage.Blobs;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Blobs;

/// <summary>
/// Turns an image URI into a <see cref="BlobClient"/>, but only for an allowed account and container
/// on a trusted endpoint (the configured service, or <c>https://ACCOUNT.blob.core.windows.net</c>);
/// anything else is <c>source_not_allowed</c>, so the worker never fetches an arbitrary URL with its
/// identity. The client is built from the validated (account, container, name) only, never from the
/// caller's text (see <see cref="BlobLocation"/> for what is refused). One service client per endpoint, reused.
/// </summary>
public sealed class BlobClientResolver(IOptions<BlobOptions> options, TokenCredential credential, BlobServiceClient? connectionStringClient = null)
{
    private readonly ConcurrentDictionary<string, BlobServiceClient> _accounts = new(StringComparer.Ordinal);

    /// <summary>The client of an allowed blob; throws <see cref="IpIqaException"/> (<c>source_not_allowed</c>) otherwise.</summary>
    public (BlobClient Client, BlobLocation Location) Resolve(string uri)
    {
        var settings = options.Value;
        ArgumentNullException.ThrowIfNull(uri);
        if (!BlobLocation.TryParse(uri, out var location, out var problem))
        {
            throw NotAllowed($"image.uri '{UriRedaction.Strip(uri)}' is not a blob URI (https://ACCOUNT.blob.core.windows.net/CONTAINER/NAME): {problem}.");
        }

        if (!settings.AllowedAccounts.Contains(location.Account, StringComparer.OrdinalIgnoreCase))
        {
            throw NotAllowed($"image.uri '{location.CanonicalUri}': storage account '{location.Account}' is not in IpIqa:Blob:AllowedAccounts.");
        }

        if (settings.AllowedContainers.Count > 0 && !settings.AllowedContainers.Contains(location.Container, StringComparer.Ordinal))
        {
            throw NotAllowed($"image.uri '{location.CanonicalUri}': container '{location.Container}' is not in IpIqa:Blob:AllowedContainers.");
        }

        if (connectionStringClient is not null)
        {
            if (!SameEndpoint(location.Endpoint, connectionStringClient.Uri))
            {
                throw NotAllowed($"image.uri '{location.CanonicalUri}' is not on the configured blob endpoint {connectionStringClient.Uri}.");
            }

            return (Checked(connectionStringClient.GetBlobContainerClient(location.Container).GetBlobClient(location.Name), location), location);
        }

        var trusted = settings.ServiceUri is { } serviceUri && SameEndpoint(location.Endpoint, serviceUri)
            || (location.Endpoint.Scheme == Uri.UriSchemeHttps
                && string.Equals(location.Endpoint.Host, $"{location.Account}.blob.core.windows.net", StringComparison.OrdinalIgnoreCase)
                && location.Endpoint.IsDefaultPort);
        if (!trusted)
        {
            throw NotAllowed($"image.uri '{location.CanonicalUri}' is not on a trusted endpoint (https://{location.Account}.blob.core.windows.net or IpIqa:Blob:ServiceUri).");
        }

        var service = _accounts.GetOrAdd(location.Endpoint.AbsoluteUri, _ => new BlobServiceClient(location.Endpoint, credential));
        return (Checked(service.GetBlobContainerClient(location.Container).GetBlobClient(location.Name), location), location);
    }

    /// <summary>The client must address exactly the validated container and name.</summary>
    private static BlobClient Checked(BlobClient client, BlobLocation location) =>
        client.BlobContainerName == location.Container && client.Name == location.Name
            ? client
            : throw NotAllowed($"image.uri '{location.CanonicalUri}' does not address container '{location.Container}', blob '{location.Name}' unambiguously.");

    private static bool SameEndpoint(Uri a, Uri b) =>
        Uri.Compare(Normalise(a), Normalise(b), UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static Uri Normalise(Uri uri) => uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static IpIqaException NotAllowed(string message) => new(ErrorCodes.SourceNotAllowed, message);
}
