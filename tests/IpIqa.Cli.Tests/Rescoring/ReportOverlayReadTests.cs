using IpIqa.Core.Contracts;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// The report reads each explanation's overlay back from the run folder. Whoever can write that folder could swap the
/// file for a FIFO (the read blocked the report for ever) or a link to <c>/dev/zero</c> (read to 2 GiB); the report
/// now shows such an item without its picture.
/// </summary>
public sealed class ReportOverlayReadTests : IDisposable
{
    /// <summary>Only stops a test that would otherwise hang on a FIFO; a refused read takes milliseconds.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _root = new("overlay-read");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_overlay_swapped_for_a_FIFO_is_left_out_without_blocking()
    {
        var path = _root.Combine("x.overlay.png");
        SpecialFiles.CreateFifo(path);

        var overlay = Task.Run(() => ReportExplanations.OverlayAsync(new ResultExplanation(path, null), CancellationToken.None));

        Assert.Null(await overlay.WaitAsync(Guard));
    }

    [Fact]
    public async Task An_overlay_swapped_for_a_link_to_an_endless_device_is_left_out()
    {
        var path = _root.Combine("x.overlay.png");
        File.CreateSymbolicLink(path, "/dev/zero");

        Assert.Null(await ReportExplanations.OverlayAsync(new ResultExplanation(path, null), CancellationToken.None).WaitAsync(Guard));
    }
}
