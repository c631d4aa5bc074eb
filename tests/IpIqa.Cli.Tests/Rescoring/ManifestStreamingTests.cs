using System.Diagnostics;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A manifest source hands out its first page before the manifest has been read to the end (#19).</summary>
public sealed class ManifestStreamingTests : IDisposable
{
    private readonly TempDirectory _temp = new("manifest-streaming");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheFirstPage_ComesBeforeTheRestOfTheManifestIsWritten()
    {
        // A named pipe: its reader sees the end only when the writer closes it, which the writer does
        // only once the first page has been listed (or, if that never happens, after 30 s, and the test fails).
        var manifest = _temp.Combine("gallery.jsonl");
        using (var mkfifo = Process.Start("mkfifo", [manifest]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var firstPageListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = Task.Run(async () =>
        {
            await using var pipe = new StreamWriter(new FileStream(manifest, FileMode.Open, FileAccess.Write));
            for (var i = 0; i < 5; i++)
            {
                await pipe.WriteLineAsync($"{{\"image\":\"{i}.png\",\"prompt\":\"p{i}\"}}");
            }

            await pipe.FlushAsync();
            var listedFirst = await Task.WhenAny(firstPageListed.Task, Task.Delay(TimeSpan.FromSeconds(30))) == firstPageListed.Task;
            for (var i = 5; i < 8; i++)
            {
                await pipe.WriteLineAsync($"{{\"image\":\"{i}.png\",\"prompt\":\"p{i}\"}}");
            }

            return listedFirst;
        });

        var pages = new List<RescorePage>();
        await foreach (var page in new ManifestSource(manifest).ListAsync(null, 4, CancellationToken.None))
        {
            pages.Add(page);
            firstPageListed.TrySetResult();
        }

        Assert.True(await writer, "the first page was listed only after the whole manifest was read");
        Assert.Equal([["0.png", "1.png", "2.png", "3.png"], ["4.png", "5.png", "6.png", "7.png"]], pages.Select(p => p.Items.Select(i => i.Key).ToArray()));
        Assert.Equal("4", pages[0].ContinuationToken);
        Assert.Null(pages[1].ContinuationToken);
    }
}
