using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Core.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Fills a blob container with small distinct PNGs and their prompts in metadata; every <c>orphanEvery</c>-th has no prompt.</summary>
internal static class BlobGallery
{
    public static async Task<BlobContainerClient> CreateAsync(string connectionString, int count, int orphanEvery)
    {
        var container = new BlobContainerClient(connectionString, $"gallery-{Guid.NewGuid():N}");
        await container.CreateAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var metadata = new Dictionary<string, string>();
            if (i % orphanEvery != orphanEvery - 1)
            {
                metadata["prompt"] = PromptMetadata.Encode($"a small square number {i}, colour {i % 7}");
            }

            await container.GetBlobClient($"night/{i:D5}.png").UploadAsync(BinaryData.FromBytes(Png(i)), new BlobUploadOptions { Metadata = metadata }, ct);
        });
        return container;
    }

    private static byte[] Png(int i)
    {
        using var image = new Image<Rgb24>(16, 16);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                image[x, y] = new Rgb24((byte)(i * 7), (byte)(x * 16), (byte)((y * 16) ^ i));
            }
        }

        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }
}
