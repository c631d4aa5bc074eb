using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Worker.Local;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Local;

public sealed class LocalImageSourceTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-local-images");
    private readonly LocalImageSource _source;

    public LocalImageSourceTests()
    {
        Directory.CreateDirectory(_folder.Combine("root", "sub"));
        File.WriteAllBytes(_folder.Combine("root", "sub", "a.png"), [1, 2, 3]);
        File.WriteAllBytes(_folder.Combine("outside.png"), [4]);
        File.WriteAllBytes(_folder.Combine("root", "empty.png"), []);
        _source = new LocalImageSource(Options.Create(new LocalOptions { ImageRoot = _folder.Combine("root") }));
    }

    [Fact]
    public async Task Image_under_the_root_is_read_with_path_mtime_and_length_as_identity()
    {
        var image = await _source.FetchAsync(new ImageReference(Path: "sub/a.png"), 100, CancellationToken.None);

        Assert.Equal([1, 2, 3], image.Bytes.ToArray());
        Assert.StartsWith($"file:{_folder.Combine("root", "sub", "a.png")}#mtime:", image.Identity, StringComparison.Ordinal);
        Assert.EndsWith(":length:3", image.Identity, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.png")]
    [InlineData("sub/../../outside.png")]
    [InlineData("/etc/passwd")]
    public async Task Path_leaving_the_root_is_source_not_allowed(string path)
    {
        var ex = await Assert.ThrowsAsync<IpIqaException>(() => _source.FetchAsync(new ImageReference(Path: path), 100, CancellationToken.None));

        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
        Assert.Contains("IpIqa:Local:ImageRoot", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_that_leads_outside_the_root_is_source_not_allowed()
    {
        File.CreateSymbolicLink(_folder.Combine("root", "link.png"), _folder.Combine("outside.png"));

        var ex = await Assert.ThrowsAsync<IpIqaException>(() => _source.FetchAsync(new ImageReference(Path: "link.png"), 100, CancellationToken.None));

        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
    }

    [Theory]
    [InlineData("nope.png", 100, ErrorCodes.ImageNotFound)]
    [InlineData("empty.png", 100, ErrorCodes.ImageEmpty)]
    [InlineData("sub/a.png", 2, ErrorCodes.ImageTooLarge)]
    public async Task Missing_empty_and_oversized_images_get_their_codes(string path, long maxBytes, string code)
    {
        var ex = await Assert.ThrowsAsync<IpIqaException>(() => _source.FetchAsync(new ImageReference(Path: path), maxBytes, CancellationToken.None));

        Assert.Equal(code, ex.Code);
    }

    public void Dispose() => _folder.Dispose();
}
