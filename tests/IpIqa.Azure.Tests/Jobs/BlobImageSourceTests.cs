using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>The blob image source on Azurite: size cap from the properties, empty and missing blobs, version identity.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobImageSourceTests(AzuriteFixture fixture)
{
    [RequiresNodeFact]
    public async Task Blob_is_read_with_its_etag_in_the_identity_and_a_new_upload_changes_it()
    {
        var (source, container) = await CreateAsync();
        var blob = container.GetBlobClient("a.png");
        await blob.UploadAsync(BinaryData.FromBytes([1, 2, 3]));

        var first = await source.FetchAsync(new ImageReference(blob.Uri.AbsoluteUri), 100, CancellationToken.None);
        await blob.UploadAsync(BinaryData.FromBytes([1, 2, 3]), overwrite: true);
        var second = await source.FetchAsync(new ImageReference(blob.Uri.AbsoluteUri), 100, CancellationToken.None);

        Assert.Equal([1, 2, 3], first.Bytes.ToArray());
        Assert.StartsWith($"blob:{blob.Uri.AbsoluteUri}#etag:", first.Identity, StringComparison.Ordinal);
        Assert.NotEqual(first.Identity, second.Identity);
    }

    [RequiresNodeFact]
    public async Task The_blob_metadata_comes_with_the_image_and_a_blob_without_any_has_none()
    {
        var (source, container) = await CreateAsync();
        var tagged = container.GetBlobClient("tagged.png");
        var bare = container.GetBlobClient("bare.png");
        var stored = PromptMetadata.Encode("二匹の猫 — watercolor");
        await tagged.UploadAsync(BinaryData.FromBytes([1, 2, 3]), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["prompt"] = stored } });
        await bare.UploadAsync(BinaryData.FromBytes([4, 5, 6]));

        var withMetadata = await source.FetchAsync(new ImageReference(tagged.Uri.AbsoluteUri), 100, CancellationToken.None);
        var without = await source.FetchAsync(new ImageReference(bare.Uri.AbsoluteUri), 100, CancellationToken.None);

        Assert.Equal(stored, withMetadata.Metadata!["prompt"]);
        Assert.Equal("二匹の猫 — watercolor", PromptMetadata.Find(withMetadata.Metadata, "PROMPT"));
        Assert.Null(without.Metadata);
    }

    [RequiresNodeFact]
    public async Task Oversized_empty_and_missing_blobs_get_their_codes()
    {
        var (source, container) = await CreateAsync();
        await container.GetBlobClient("big.png").UploadAsync(BinaryData.FromBytes(new byte[101]));
        await container.GetBlobClient("empty.png").UploadAsync(BinaryData.FromBytes([]));

        Assert.Equal(ErrorCodes.ImageTooLarge, (await FetchErrorAsync(source, container, "big.png")).Code);
        Assert.Equal(ErrorCodes.ImageEmpty, (await FetchErrorAsync(source, container, "empty.png")).Code);
        var missing = await FetchErrorAsync(source, container, "none.png");
        Assert.Equal(ErrorCodes.ImageNotFound, missing.Code);
        Assert.Contains("none.png", missing.Message, StringComparison.Ordinal);
    }

    private static async Task<IpIqaException> FetchErrorAsync(BlobImageSource source, BlobContainerClient container, string name) =>
        await Assert.ThrowsAsync<IpIqaException>(() => source.FetchAsync(new ImageReference(container.GetBlobClient(name).Uri.AbsoluteUri), 100, CancellationToken.None));

    private async Task<(BlobImageSource Source, BlobContainerClient Container)> CreateAsync()
    {
        var service = new BlobServiceClient(fixture.ConnectionString);
        var container = service.GetBlobContainerClient($"img{Guid.NewGuid():N}");
        await container.CreateAsync();
        var options = Options.Create(new BlobOptions { ConnectionString = fixture.ConnectionString, AllowedAccounts = [Azurite.AccountName] });
        return (new BlobImageSource(new BlobClientResolver(options, new DefaultAzureCredential(), service)), container);
    }
}
