using Azure.Storage.Blobs;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>The per-prefix parallel lister on Azurite: the single lister's items in the single lister's order, and a resume from any of its tokens lists exactly the rest.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ParallelBlobRescoreSourceTests(AzuriteFixture azurite)
{
    private readonly RequestPacer _pacer = new(0);

    /// <summary>Prefixes of uneven sizes (one empty of blobs but nested), blobs beside them that sort between them, and names that sort around '/'.</summary>
    private async Task<BlobContainerClient> Gallery()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"parallel-{Guid.NewGuid():N}");
        await container.CreateAsync();
        string[] names =
        [
            .. Enumerable.Range(0, 17).Select(i => $"g/a/{i:D2}.png"),
            .. Enumerable.Range(0, 3).Select(i => $"g/b/deep/{i}.png"),
            "g/b.png", "g/b-.png", "g/a.png", "g/0.png", "g/z.png",
            .. Enumerable.Range(0, 9).Select(i => $"g/c/{i}.png"),
            .. Enumerable.Range(0, 11).Select(i => $"g/c-d/{i}.png"),
            "h/outside.png",
        ];
        await Task.WhenAll(names.Select(n => container.GetBlobClient(n).UploadAsync(new BinaryData(new byte[n.Length]))));
        return container;
    }

    private static async Task<List<RescorePage>> Pages(IRescoreSource source, string? token, int pageSize)
    {
        var pages = new List<RescorePage>();
        await foreach (var page in source.ListAsync(token, pageSize, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    [RequiresNodeFact]
    public async Task ListsTheSingleListersItems_InTheSameOrder_WhateverTheConcurrency()
    {
        var container = await Gallery();
        var single = (await Pages(new BlobRescoreSource(container, "g/", "prompt", _pacer), null, 100)).SelectMany(p => p.Items).ToList();
        Assert.Equal(single.Select(i => i.Key).Order(StringComparer.Ordinal), single.Select(i => i.Key));
        Assert.Equal(45, single.Count);

        foreach (var concurrency in (int[])[2, 3, 8])
        {
            var pages = await Pages(new ParallelBlobRescoreSource(container, "g/", "prompt", _pacer, concurrency), null, 4);
            Assert.Equal(single, pages.SelectMany(p => p.Items));
            Assert.All(pages[..^1], p => Assert.Equal(4, p.Items.Count));
            Assert.All(pages[..^1], p => Assert.StartsWith("p1:", p.ContinuationToken, StringComparison.Ordinal));
            Assert.Null(pages[^1].ContinuationToken);
        }
    }

    [RequiresNodeFact]
    public async Task AResumeFromEveryToken_ListsExactlyTheItemsAfterIt()
    {
        var container = await Gallery();
        var source = new ParallelBlobRescoreSource(container, "g/", "prompt", _pacer, 3);
        var pages = await Pages(source, null, 5);
        var all = pages.SelectMany(p => p.Items).ToList();

        for (var i = 0; i < pages.Count - 1; i++)
        {
            var rest = (await Pages(source, pages[i].ContinuationToken, 5)).SelectMany(p => p.Items);
            Assert.Equal(all.Skip(5 * (i + 1)), rest);
        }
    }

    [RequiresNodeFact]
    public async Task ASingleListersToken_ResumesThroughTheSingleLister()
    {
        var container = await Gallery();
        var single = await Pages(new BlobRescoreSource(container, "g/", "prompt", _pacer), null, 10);

        var rest = await Pages(new ParallelBlobRescoreSource(container, "g/", "prompt", _pacer, 4), single[0].ContinuationToken, 10);

        Assert.Equal(single.Skip(1).SelectMany(p => p.Items), rest.SelectMany(p => p.Items));
    }

    [RequiresNodeFact]
    public async Task AHostileToken_IsAClearError()
    {
        var container = await Gallery();
        var source = new ParallelBlobRescoreSource(container, "g/", "prompt", _pacer, 4);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Pages(source, "p1:999999:x", 10));

        Assert.Contains("is not a listing position", error.Message, StringComparison.Ordinal);
    }
}
