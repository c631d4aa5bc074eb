using System.Diagnostics;
using IpIqa.Cli.Explain;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Tests.Explain;

/// <summary>
/// The overlay reads the image a second time, after it was scored. That read goes through the one file
/// reader: a FIFO put in the image's place is refused at once instead of blocking the run for ever.
/// </summary>
public sealed class ExplanationWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ipiqa-explain-writer-").FullName;

    [Fact]
    public async Task An_image_replaced_by_a_fifo_after_scoring_is_refused_not_waited_on()
    {
        var fifo = Path.Combine(_folder, "swapped.png");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = new ExplanationWriter(Path.Combine(_folder, "out"), new ModelIdentity("m", "1", "0123456789ab"));
        Directory.CreateDirectory(writer.Folder);
        var input = new ScorerInput(ImageInput.FromFile(fifo, "swapped.png"), "a red circle");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<IpIqaException>(() => writer.WriteAsync(input, new Scores(3, 3), new AttentionMap(2, [0.25f, 0.25f, 0.25f, 0.25f]), null, bound.Token));

        Assert.Equal(ErrorCodes.ImageNotAFile, error.Code);
        Assert.Empty(Directory.EnumerateFiles(writer.Folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
