using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Linked gallery images are sized, capped and read by their targets (#11).</summary>
public sealed class ImageFilesTests : IDisposable
{
    private readonly TempDirectory _root = new("image-files");

    public ImageFilesTests()
    {
        Directory.CreateDirectory(_root.Combine("gallery"));
        File.WriteAllBytes(_root.Combine("small.png"), [1, 2, 3]);
        File.WriteAllBytes(_root.Combine("big.png"), new byte[1000]);
        File.CreateSymbolicLink(_root.Combine("gallery", "a-link-whose-own-length-is-longer-than-three.png"), _root.Combine("small.png"));
        File.CreateSymbolicLink(_root.Combine("gallery", "big.png"), "../big.png");
        File.WriteAllText(_root.Combine("gallery", "big.txt"), "a big one");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Folder_source_lists_a_link_with_its_targets_size_and_reads_it_under_the_cap()
    {
        var source = new LocalFolderSource(_root.Combine("gallery"));

        var items = (await source.ListAsync(null, 10, CancellationToken.None).ToListAsync()).SelectMany(p => p.Items).ToDictionary(i => i.Key);
        var small = await source.ReadAsync(items["a-link-whose-own-length-is-longer-than-three.png"], 3, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<IpIqaException>(() => source.ReadAsync(items["big.png"], 100, CancellationToken.None));

        Assert.Equal(1000, items["big.png"].Size);
        Assert.Equal(3, items["a-link-whose-own-length-is-longer-than-three.png"].Size);
        Assert.Equal([1, 2, 3], small);
        Assert.Equal(ErrorCodes.ImageTooLarge, ex.Code);
        Assert.Contains("1000 bytes", ex.Message, StringComparison.Ordinal);
    }
}
