using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Imaging;
using IpIqa.TestSupport;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class PixelSourceTests
{
    [Fact]
    public void Fill_UndecodableImage_IsOneErrorNamingTheFile()
    {
        using var temp = new TempDirectory();
        var bad = temp.Combine("broken.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var source = new PixelSource(new ImagePreprocessor(new ImagingOptions()), new PreprocessSpec(32, BundleInput.ClipMean, BundleInput.ClipStd));

        var error = Assert.Throws<InvalidDataException>(() => source.Fill([bad, bad], new float[2 * 3 * 32 * 32], CancellationToken.None));

        Assert.Contains("broken.png", error.Message, StringComparison.Ordinal);
    }
}
