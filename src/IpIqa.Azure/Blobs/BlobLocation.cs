using Azure.Storage.Blobs;

namespace IpIqa.Azure.Blobs;

/// <summary>A blob URI taken apart: the endpoint (scheme, host, port, and the account path segment on IP-style hosts), account, container and name.</summary>
public sealed record BlobLocation(Uri Endpoint, string Account, string Container, string Name)
{
    /// <summary>Parses <paramref name="uri"/>; null when it is not an absolute http(s) URI naming a container and a blob.</summary>
    public static BlobLocation? TryParse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        BlobUriBuilder builder;
        try
        {
            builder = new BlobUriBuilder(parsed);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            return null;
        }

        // A custom domain (private endpoint, CDN) names no account the SDK recognises: take the host's first label.
        var account = string.IsNullOrEmpty(builder.AccountName) ? parsed.Host.Split('.')[0] : builder.AccountName;
        if (string.IsNullOrEmpty(account) || string.IsNullOrEmpty(builder.BlobContainerName) || string.IsNullOrEmpty(builder.BlobName))
        {
            return null;
        }

        var endpoint = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port).Uri;
        if (parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || parsed.IsLoopback)
        {
            endpoint = new Uri(endpoint, account + "/");
        }

        return new BlobLocation(endpoint, account, builder.BlobContainerName, builder.BlobName);
    }

    /// <summary>The URI without query or fragment (no SAS ever travels further).</summary>
    public string CanonicalUri =>
        new Uri(Endpoint, $"{Uri.EscapeDataString(Container)}/{string.Join('/', Name.Split('/').Select(Uri.EscapeDataString))}").AbsoluteUri;
}
