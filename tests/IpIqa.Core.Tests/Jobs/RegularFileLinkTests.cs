using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>
/// The local transport resolves every link of an image path itself, checks that the real path lies under the image
/// root, then opens that real path without following links. Only the last component used to be opened without
/// following one: a folder writer who swapped a folder of the path for a link (to <c>/etc</c>, say) between the check
/// and the open read a file outside the root. No component may be a link when the file is opened; with links
/// followed (the CLI's galleries) they still are.
/// </summary>
public sealed class RegularFileLinkTests : IDisposable
{
    private readonly TempDirectory _root = new("regular-file-links");

    public RegularFileLinkTests()
    {
        Directory.CreateDirectory(_root.Combine("outside"));
        File.WriteAllBytes(_root.Combine("outside", "secret.png"), [1, 2, 3]);
        Directory.CreateDirectory(_root.Combine("root"));
        Directory.CreateSymbolicLink(_root.Combine("root", "swapped"), _root.Combine("outside"));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_folder_of_the_path_that_is_a_link_is_refused_when_links_are_not_followed()
    {
        var error = Assert.Throws<IpIqaException>(() => RegularFile.Open(_root.Combine("root", "swapped", "secret.png"), "swapped/secret.png"));

        Assert.Equal(ErrorCodes.SourceNotAllowed, error.Code);
    }

    [Fact]
    public void A_folder_of_the_path_that_is_a_link_is_read_through_when_links_are_followed()
    {
        using var file = RegularFile.Open(_root.Combine("root", "swapped", "secret.png"), "swapped/secret.png", followLinks: true);

        Assert.Equal(3, file.Length);
    }

    [Fact]
    public void A_path_without_links_opens()
    {
        using var file = RegularFile.Open(_root.Combine("outside", "secret.png"), "secret.png");

        Assert.Equal(3, file.Length);
    }
}
