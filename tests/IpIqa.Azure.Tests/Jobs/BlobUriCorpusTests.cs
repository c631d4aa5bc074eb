using Azure.Identity;
using IpIqa.Azure.Blobs;
using IpIqa.Core.Errors;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>
/// URI forms a caller may send as image.uri, each with what the resolver must do: accept it as
/// (account, container, name), or refuse it as source_not_allowed with the reason. The allow-list is
/// account <c>gallery</c>, container <c>images</c>; trusted endpoints are gallery.blob.core.windows.net
/// and the configured IP-style service <c>https://10.0.0.5/gallery</c>.
/// </summary>
public sealed class BlobUriCorpusTests
{
    private const string Host = "https://gallery.blob.core.windows.net";

    private static readonly BlobClientResolver Resolver = new(
        Options.Create(new BlobOptions { ServiceUri = new Uri("https://10.0.0.5/gallery"), AllowedAccounts = ["gallery"], AllowedContainers = ["images"] }),
        new DefaultAzureCredential());

    public static TheoryData<string, string> Corpus => new()
    {
        // Accepted: "container|name" is the triple's container and decoded name (the account is gallery).
        { $"{Host}/images/a.png", "images|a.png" },
        { $"{Host}/images/2026/07/a.png", "images|2026/07/a.png" },
        { "https://GALLERY.Blob.Core.Windows.NET/images/a.png", "images|a.png" },
        { "https://gallery.blob.core.windows.net:443/images/a.png", "images|a.png" },
        { $"{Host}/images/a%20b.png", "images|a b.png" },
        { $"{Host}/images/a.png?sv=2025-01-05&se=2030-01-01&sp=r&sig=c2VjcmV0", "images|a.png" },
        { $"{Host}/images/a.png#fragment", "images|a.png" },
        { $"{Host}/images/%E6%97%A5%E6%9C%AC.png", "images|日本.png" },
        { $"{Host}/images/100%25.png", "images|100%.png" },
        { $"{Host}/images/a..b.png", "images|a..b.png" },
        { $"{Host}/images/.hidden.png", "images|.hidden.png" },
        { $"{Host}/images/.../a.png", "images|.../a.png" },
        { $"{Host}/images/a%2Bb.png", "images|a+b.png" },
        { $"{Host}/images/a+b.png", "images|a+b.png" },
        { $"{Host}/%69mages/a.png", "images|a.png" },
        { "https://10.0.0.5/gallery/images/a.png", "images|a.png" },
        { "https://10.0.0.5:443/gallery/images/dir/a.png?sig=x", "images|dir/a.png" },

        // Encoded separators, dot segments and double encoding: never a way out of the container.
        { $"{Host}/images/..%2Fother%2Fsecret.png", "!encoded separator" },
        { $"{Host}/images/..%2fother%2fsecret.png", "!encoded separator" },
        { $"{Host}/images/%2e%2e%2fother/secret.png", "!encoded separator" },
        { $"{Host}/images/..%5Cother%5Csecret.png", "!encoded separator" },
        { $"{Host}/images%2Fa.png", "!encoded separator" },
        { $"{Host}/images/%2E%2E/other/secret.png", "!dot segment" },
        { $"{Host}/images/.%2E/other/secret.png", "!dot segment" },
        { $"{Host}/images/../other/secret.png", "!dot segment" },
        { $"{Host}/images/a/../../other/secret.png", "!dot segment" },
        { $"{Host}/images/./a.png", "!dot segment" },
        { $"{Host}/images/%2E", "!dot segment" },
        { $"{Host}/images/..%252Fother%252Fsecret.png", "!encoded twice" },
        { $"{Host}/images/%252E%252E/secret.png", "!encoded twice" },
        { $"{Host}/images/%C0%AFother.png", "!encoded twice" },
        { $"{Host}/images/..\\other\\secret.png", "!backslash" },
        { $"{Host}/images//a.png", "!empty segment" },
        { $"{Host}/images/a.png/", "!empty segment" },
        { $"{Host}/images/a%00.png", "!control character" },
        { $"{Host}/images/a%zz.png", "!not followed by two hex digits" },
        { $"{Host}/images/a b.png", "!space" },
        { $" {Host}/images/a.png", "!space" },
        { $"{Host}/images/a\tb.png", "!control character" },

        // User information, hosts, ports and schemes.
        { "https://user:pass@gallery.blob.core.windows.net/images/a.png", "!user information" },
        { "https://gallery.blob.core.windows.net@evil.example/images/a.png", "!user information" },
        { "https://evil.example\\@gallery.blob.core.windows.net/images/a.png", "!backslash" },
        { "https://gallery.blob.core.windows.net./images/a.png", "!not on a trusted endpoint" },
        { "https://gallery.blob.core.windows.net.evil.example/images/a.png", "!not on a trusted endpoint" },
        { "https://gallery.blob.core.windows.net:8443/images/a.png", "!not on a trusted endpoint" },
        { "http://gallery.blob.core.windows.net/images/a.png", "!not on a trusted endpoint" },
        { "https://gallery.dfs.core.windows.net/images/a.png", "!not on a trusted endpoint" },
        { "https://gallery.privatelink.example/images/a.png", "!not on a trusted endpoint" },
        { "https://1.2.3.4/gallery/images/a.png", "!not on a trusted endpoint" },
        { "https://10.0.0.5:10001/gallery/images/a.png", "!not on a trusted endpoint" },
        { "https://localhost/gallery/images/a.png", "!not on a trusted endpoint" },
        { "https://[::1]/gallery/images/a.png", "!not on a trusted endpoint" },
        { "http://10.0.0.5/gallery/images/a.png", "!not on a trusted endpoint" },
        { "https://167772165/gallery/images/a.png", "images|a.png" },
        { "https://gallery-secondary.blob.core.windows.net/images/a.png", "!not a storage account name" },
        { "https://10.0.0.5/Gallery/images/a.png", "!not a storage account name" },
        { "https://other.blob.core.windows.net/images/a.png", "!storage account 'other' is not in IpIqa:Blob:AllowedAccounts" },
        { "https://10.0.0.5/other/images/a.png", "!storage account 'other' is not in IpIqa:Blob:AllowedAccounts" },
        { $"{Host}/Images/a.png", "!not a container name" },
        { $"{Host}/im/a.png", "!not a container name" },
        { $"{Host}/secrets/a.png", "!container 'secrets' is not in IpIqa:Blob:AllowedContainers" },
        { $"{Host}/$root/a.png", "!container '$root' is not in IpIqa:Blob:AllowedContainers" },
        { $"{Host}/images", "!does not name both a container and a blob" },
        { $"{Host}/", "!empty segment" },
        { Host, "!names no container" },
        { "file:///etc/passwd", "!not an absolute http(s) URI" },
        { "ftp://gallery.blob.core.windows.net/images/a.png", "!not an absolute http(s) URI" },
        { "/images/a.png", "!not an absolute http(s) URI" },
        { $"{Host}/images/{new string('n', 1025)}", "!the limit is 1024" },
    };

    [Fact]
    public void Corpus_holds_at_least_forty_forms() => Assert.True(Corpus.Count >= 40, $"{Corpus.Count} forms");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Each_form_is_accepted_as_its_triple_or_refused_with_its_reason(string uri, string expected)
    {
        if (expected.StartsWith('!'))
        {
            var ex = Assert.Throws<IpIqaException>(() => Resolver.Resolve(uri));
            Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
            Assert.Contains(expected[1..], ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("pass@", ex.Message, StringComparison.Ordinal);
            return;
        }

        var (client, location) = Resolver.Resolve(uri);
        var parts = expected.Split('|', 2);
        Assert.Equal(("gallery", parts[0], parts[1]), (location.Account, location.Container, location.Name));
        Assert.Equal((parts[0], parts[1]), (client.BlobContainerName, client.Name));
        Assert.Equal(location.CanonicalUri, client.Uri.AbsoluteUri);
        Assert.Empty(client.Uri.Query);

        // The canonical URI reads back as the same triple: what was checked is what is addressed.
        Assert.Equal(location, BlobLocation.TryParse(location.CanonicalUri));
    }
}
