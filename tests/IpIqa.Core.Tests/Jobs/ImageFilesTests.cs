using System.Buffers;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>
/// Every front door reads image files through <see cref="ImageFiles"/>: the engine's pooled read and
/// the sources' async read must refuse the same files with the same codes.
/// </summary>
public sealed class ImageFilesTests : IDisposable
{
    private readonly TempDirectory _root = new("core-image-files");

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, string> Refused => new()
    {
        { "folder", ErrorCodes.ImageNotAFile },
        { "empty.png", ErrorCodes.ImageEmpty },
        { "missing.png", ErrorCodes.ImageNotFound },
        { "bad\0name.png", ErrorCodes.ImageNotFound },
        { "big.png", ErrorCodes.ImageTooLarge },
        { "pipe.png", ErrorCodes.ImageNotAFile },
    };

    private string Prepare(string name)
    {
        Directory.CreateDirectory(_root.Combine("folder"));
        File.WriteAllBytes(_root.Combine("empty.png"), []);
        File.WriteAllBytes(_root.Combine("big.png"), new byte[101]);
        if (!File.Exists(_root.Combine("pipe.png")))
        {
            // A FIFO with no writer: opening it for reading the ordinary way blocks for ever.
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", _root.Combine("pipe.png"));
            mkfifo.WaitForExit();
        }

        return Path.Combine(_root.Path, name);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task TheAsyncReadRefusesWithTheCode(string name, string code)
    {
        var path = Prepare(name);

        var error = await Assert.ThrowsAsync<IpIqaException>(() => Bounded(() => ImageFiles.ReadAsync(path, name, 100, CancellationToken.None)));

        Assert.Equal(code, error.Code);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ThePooledReadRefusesWithTheSameCode(string name, string code)
    {
        var path = Prepare(name);

        var error = await Assert.ThrowsAsync<IpIqaException>(() => Bounded(() => Task.FromResult(ImageFiles.ReadPooled(path, 100))));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task BothReadsGiveTheFilesBytes()
    {
        var path = _root.Combine("small.png");
        File.WriteAllBytes(path, [1, 2, 3]);

        var (buffer, length) = ImageFiles.ReadPooled(path, 3);
        var pooled = buffer.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);

        Assert.Equal([1, 2, 3], pooled);
        Assert.Equal([1, 2, 3], await ImageFiles.ReadAsync(path, "small.png", 3, CancellationToken.None));
    }

    /// <summary>A read that blocks (the FIFO case before the fix) fails the test instead of hanging the run.</summary>
    private static Task<T> Bounded<T>(Func<Task<T>> read) => Task.Run(read).WaitAsync(TimeSpan.FromSeconds(30));
}
