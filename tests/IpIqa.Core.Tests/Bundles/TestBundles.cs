using IpIqa.Core.Bundles;

namespace IpIqa.Core.Tests.Bundles;

/// <summary>Minimal manifests for tests.</summary>
internal static class TestBundles
{
    public static BundleManifest Manifest(BundleTokenizer tokenizer) => new()
    {
        Name = "ipiqa-test",
        Version = "0.0.1",
        Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Architecture = new BundleArchitecture { EmbedDim = 64, VisionLayers = [1, 1, 1, 1], InputResolution = 320 },
        Input = new BundleInput { Resolution = 320 },
        Tokenizer = tokenizer,
        Graphs = new BundleGraphs
        {
            Text = new BundleGraph { File = "text.onnx", Sha256 = new string('0', 64) },
            Image = new BundleGraph { File = "image.onnx", Sha256 = new string('1', 64) },
        },
    };
}
