using System.Diagnostics;
using System.Net.Sockets;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Worker.Local;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Local;

/// <summary>Links, special files and the no-existence-oracle rule of <see cref="LocalImageSource"/> (#11).</summary>
public sealed class LocalImageSourceLinkTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-local-links");
    private readonly LocalImageSource _source;

    public LocalImageSourceLinkTests()
    {
        Directory.CreateDirectory(_folder.Combine("root", "sub"));
        Directory.CreateDirectory(_folder.Combine("secret"));
        File.WriteAllBytes(_folder.Combine("root", "sub", "a.png"), [1, 2, 3]);
        File.WriteAllBytes(_folder.Combine("secret", "key.png"), [9, 9]);
        _source = Source(_folder.Combine("root"));
    }

    [Theory]
    [InlineData("etc/passwd")]
    [InlineData("etc/hostname")]
    [InlineData("secretlink/key.png")]
    [InlineData("secretlink/../secretlink/key.png")]
    [InlineData("filelink.png")]
    [InlineData("chain1.png")]
    [InlineData("zero.png")]
    [InlineData("relative-out/key.png")]
    public async Task Link_out_of_the_root_is_source_not_allowed_and_nothing_is_read(string path)
    {
        Directory.CreateSymbolicLink(_folder.Combine("root", "etc"), "/etc");
        Directory.CreateSymbolicLink(_folder.Combine("root", "secretlink"), _folder.Combine("secret"));
        Directory.CreateSymbolicLink(_folder.Combine("root", "relative-out"), "../secret");
        File.CreateSymbolicLink(_folder.Combine("root", "filelink.png"), _folder.Combine("secret", "key.png"));
        File.CreateSymbolicLink(_folder.Combine("root", "chain1.png"), "chain2.png");
        File.CreateSymbolicLink(_folder.Combine("root", "chain2.png"), "sub/chain3.png");
        File.CreateSymbolicLink(_folder.Combine("root", "sub", "chain3.png"), "../../secret/key.png");
        File.CreateSymbolicLink(_folder.Combine("root", "zero.png"), "/dev/zero");

        var ex = await Assert.ThrowsAsync<IpIqaException>(() => Fetch(path));

        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
        Assert.Equal($"image.path '{path}' is outside IpIqa:Local:ImageRoot.", ex.Message);
    }

    [Theory]
    [InlineData("../secret/key.png", "../secret/nothing.png")]
    [InlineData("link/key.png", "link/nothing.png")]
    [InlineData("link/key.png", "dangling/x.png")]
    [InlineData("/etc/passwd", "/etc/no-such-file")]
    public async Task Outside_paths_that_exist_and_that_do_not_get_the_same_code_and_message(string existing, string missing)
    {
        Directory.CreateSymbolicLink(_folder.Combine("root", "link"), _folder.Combine("secret"));
        Directory.CreateSymbolicLink(_folder.Combine("root", "dangling"), _folder.Combine("nowhere"));

        var found = await Assert.ThrowsAsync<IpIqaException>(() => Fetch(existing));
        var notFound = await Assert.ThrowsAsync<IpIqaException>(() => Fetch(missing));

        Assert.Equal(ErrorCodes.SourceNotAllowed, found.Code);
        Assert.Equal(found.Code, notFound.Code);
        Assert.Equal(found.Message.Replace(existing, "PATH", StringComparison.Ordinal), notFound.Message.Replace(missing, "PATH", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("inner.png")]
    [InlineData("subs/a.png")]
    [InlineData("hop1.png")]
    [InlineData("absolute.png")]
    [InlineData("back-in.png")]
    public async Task Links_that_stay_in_the_root_are_read_from_their_target(string path)
    {
        File.CreateSymbolicLink(_folder.Combine("root", "inner.png"), "sub/a.png");
        Directory.CreateSymbolicLink(_folder.Combine("root", "subs"), "sub");
        File.CreateSymbolicLink(_folder.Combine("root", "hop1.png"), "hop2.png");
        File.CreateSymbolicLink(_folder.Combine("root", "hop2.png"), "subs/a.png");
        File.CreateSymbolicLink(_folder.Combine("root", "absolute.png"), _folder.Combine("root", "sub", "a.png"));
        File.CreateSymbolicLink(_folder.Combine("root", "back-in.png"), "../root/sub/a.png");

        var image = await Fetch(path);

        Assert.Equal([1, 2, 3], image.Bytes.ToArray());
        Assert.StartsWith($"file:{_folder.Combine("root", "sub", "a.png")}#mtime:", image.Identity, StringComparison.Ordinal);
        Assert.EndsWith(":length:3", image.Identity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_that_is_itself_a_link_confines_to_its_target()
    {
        Directory.CreateSymbolicLink(_folder.Combine("rootlink"), _folder.Combine("root"));
        File.CreateSymbolicLink(_folder.Combine("root", "via-root-link.png"), _folder.Combine("rootlink", "sub", "a.png"));
        var source = Source(_folder.Combine("rootlink"));

        Assert.Equal([1, 2, 3], (await source.FetchAsync(new ImageReference(Path: "sub/a.png"), 100, CancellationToken.None)).Bytes.ToArray());
        Assert.Equal([1, 2, 3], (await source.FetchAsync(new ImageReference(Path: "via-root-link.png"), 100, CancellationToken.None)).Bytes.ToArray());
        var ex = await Assert.ThrowsAsync<IpIqaException>(() => source.FetchAsync(new ImageReference(Path: "../secret/key.png"), 100, CancellationToken.None));
        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
    }

    [Fact]
    public async Task Size_cap_is_checked_on_the_link_target_not_the_link()
    {
        File.WriteAllBytes(_folder.Combine("root", "sub", "big.png"), new byte[1000]);
        File.CreateSymbolicLink(_folder.Combine("root", "big-link.png"), "sub/big.png");
        File.CreateSymbolicLink(_folder.Combine("root", "small-link-with-a-long-name-so-the-link-is-longer.png"), "sub/../sub/a.png");

        var tooLarge = await Assert.ThrowsAsync<IpIqaException>(() => Fetch("big-link.png", maxBytes: 100));
        var small = await Fetch("small-link-with-a-long-name-so-the-link-is-longer.png", maxBytes: 3);

        Assert.Equal(ErrorCodes.ImageTooLarge, tooLarge.Code);
        Assert.Contains("1000 bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], small.Bytes.ToArray());
    }

    [Fact]
    public async Task Fifo_under_the_root_is_image_not_a_file_without_blocking()
    {
        using (var mkfifo = Process.Start("mkfifo", _folder.Combine("root", "pipe.png")))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // The open must not wait for a writer; the timeout only keeps a regression from hanging the run.
        var ex = await Assert.ThrowsAsync<IpIqaException>(() => Fetch("pipe.png").WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(ErrorCodes.ImageNotAFile, ex.Code);
        Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Socket_and_directory_under_the_root_are_image_not_a_file()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(_folder.Combine("root", "sock.png")));
        Directory.CreateDirectory(_folder.Combine("root", "folder.png"));
        File.CreateSymbolicLink(_folder.Combine("root", "folder-link.png"), "folder.png");

        foreach (var (path, kind) in new[] { ("sock.png", "socket"), ("folder.png", "directory"), ("folder-link.png", "directory"), ("sub", "directory"), (".", "directory") })
        {
            var ex = await Assert.ThrowsAsync<IpIqaException>(() => Fetch(path));
            Assert.Equal(ErrorCodes.ImageNotAFile, ex.Code);
            Assert.Contains(kind, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Link_loop_inside_the_root_is_refused()
    {
        File.CreateSymbolicLink(_folder.Combine("root", "loop1.png"), "loop2.png");
        File.CreateSymbolicLink(_folder.Combine("root", "loop2.png"), "loop1.png");

        var ex = await Assert.ThrowsAsync<IpIqaException>(() => Fetch("loop1.png"));

        Assert.Equal(ErrorCodes.SourceNotAllowed, ex.Code);
    }

    public void Dispose() => _folder.Dispose();

    private static LocalImageSource Source(string root) => new(Options.Create(new LocalOptions { ImageRoot = root }));

    private Task<Core.Jobs.FetchedImage> Fetch(string path, long maxBytes = 100) =>
        _source.FetchAsync(new ImageReference(Path: path), maxBytes, CancellationToken.None);
}
