using IpIqa.Core.Errors;
using IpIqa.Imaging.Tests;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Explain;

/// <summary>
/// The attention overlay and the report's thumbnails decode an image a second time, after it was scored, and
/// may meet other bytes than the scorer did (a file replaced since). They decode under the scorer's checks:
/// a header above the pixel cap or a cut file is refused with its code before a pixel is allocated.
/// </summary>
public sealed class HostilePreviewTests
{
    /// <summary>A 1-bit grey PNG of 8200×8200 (67 megapixels, over the 64-megapixel cap) in about 9 KB.</summary>
    private static readonly Lazy<byte[]> OverTheCap = new(() =>
    {
        const int side = 8200;
        var row = new byte[(side + 7) / 8];
        return PngBuilder.Build(side, side, bitDepth: 1, colorType: 0, Enumerable.Repeat(row, side).ToArray());
    });

    private static byte[] Cut()
    {
        var rows = Enumerable.Range(0, 64).Select(y => Enumerable.Range(0, 64 * 3).Select(x => (byte)((x * 7) ^ (y * 13))).ToArray()).ToArray();
        var png = PngBuilder.Build(64, 64, bitDepth: 8, colorType: 2, rows);
        return png[..(png.Length / 2)];
    }

    public static TheoryData<string, string> Hostile() => new()
    {
        { "over-the-cap", ErrorCodes.ImageTooLarge },
        { "cut", ErrorCodes.ImageTruncated },
    };

    private static byte[] Bytes(string name) => name == "over-the-cap" ? OverTheCap.Value : Cut();

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_overlay_refuses_what_the_scorer_refuses(string name, string code)
    {
        var error = Assert.Throws<IpIqaException>(() => AttentionOverlay.RenderPng(Bytes(name), new AttentionMap(2, [0f, 1f, 2f, 3f])));

        Assert.Equal(code, error.Code);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_thumbnail_refuses_what_the_scorer_refuses(string name, string code)
    {
        var error = Assert.Throws<IpIqaException>(() => ReportThumbnails.Thumbnail(Bytes(name)));

        Assert.Equal(code, error.Code);
    }
}
