using Azure.Identity;
using IpIqa.Azure.Blobs;
using IpIqa.Core.Errors;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class BlobClientResolverTests
{
    private static readonly BlobClientResolver Resolver = new(
        Options.Create(new BlobOptions { AllowedAccounts = ["gallery"], AllowedContainers = ["images"] }),
        new DefaultAzureCredential());

    [Fact]
    public void Allowed_account_and_container_on_the_account_endpoint_resolve_without_the_query()
    {
        var (client, location) = Resolver.Resolve("https://gallery.blob.core.windows.net/images/2026/a%20b.png?sig=secret");

        Assert.Equal("gallery", location.Account);
        Assert.Equal("images", location.Container);
        Assert.Equal("2026/a b.png", location.Name);
        Assert.Equal("https://gallery.blob.core.windows.net/images/2026/a%20b.png", location.CanonicalUri);
        Assert.Equal("2026/a b.png", client.Name);
        Assert.DoesNotContain("sig", client.Uri.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://other.blob.core.windows.net/images/a.png", "storage account 'other' is not in IpIqa:Blob:AllowedAccounts")]
    [InlineData("https://gallery.blob.core.windows.net/secrets/a.png", "container 'secrets' is not in IpIqa:Blob:AllowedContainers")]
    [InlineData("https://gallery.blob.core.windows.net.evil.example/images/a.png", "not on a trusted endpoint")]
    [InlineData("http://gallery.blob.core.windows.net/images/a.png", "not on a trusted endpoint")]
    [InlineData("http://127.0.0.1:10000/gallery/images/a.png", "not on a trusted endpoint")]
    [InlineData("file:///etc/passwd", "is not a blob URI")]
    [InlineData("https://gallery.blob.core.windows.net/images", "is not a blob URI")]
    public void Anything_else_is_source_not_allowed_with_the_reason(string uri, string reason)
    {
        var ex = Assert.Throws<IpIqaException>(() => Resolver.Resolve(uri));

        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_service_uri_is_trusted()
    {
        var resolver = new BlobClientResolver(
            Options.Create(new BlobOptions { ServiceUri = new Uri("https://gallery.privatelink.example/"), AllowedAccounts = ["gallery"] }),
            new DefaultAzureCredential());

        Assert.Equal("x.png", resolver.Resolve("https://gallery.privatelink.example/any/x.png").Location.Name);
    }
}
