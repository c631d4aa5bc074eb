using Azure.Storage.Blobs;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Jobs;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Blobs;

/// <summary>Explanations stored as blobs on Azurite: the container is created, both blobs carry their content types, the result names their URIs, and a redelivery overwrites.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobExplanationStoreTests(AzuriteFixture azurite)
{
    [RequiresNodeFact]
    public async Task Saves_both_blobs_with_content_types_names_their_uris_and_overwrites_on_redelivery()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"explain-{Guid.NewGuid():N}");
        var store = new BlobExplanationStore(container);
        var stem = ExplanationNames.ForJob("../../job 1", "sha256:m");

        await store.SaveAsync(stem, new Explanation([1, 2], [3]), CancellationToken.None);
        var named = await store.SaveAsync(stem, new Explanation([0x89, 0x50], "{}"u8.ToArray()), CancellationToken.None);

        Assert.Null(named.Error);
        Assert.Equal(container.GetBlobClient(stem + Explanation.OverlaySuffix).Uri.AbsoluteUri, named.Overlay);
        Assert.Equal(container.GetBlobClient(stem + Explanation.AttentionSuffix).Uri.AbsoluteUri, named.Attention);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        Assert.Equal([stem + Explanation.AttentionSuffix, stem + Explanation.OverlaySuffix], names.Order(StringComparer.Ordinal));
        var overlay = await container.GetBlobClient(stem + Explanation.OverlaySuffix).DownloadContentAsync();
        Assert.Equal([0x89, 0x50], overlay.Value.Content.ToArray());
        Assert.Equal("image/png", overlay.Value.Details.ContentType);
        var attention = await container.GetBlobClient(stem + Explanation.AttentionSuffix).DownloadContentAsync();
        Assert.Equal("{}", attention.Value.Content.ToString());
        Assert.Equal("application/json", attention.Value.Details.ContentType);
    }
}
