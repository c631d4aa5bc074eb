using IpIqa.Core.Bundles;

namespace IpIqa.Training.Tests.Support;

/// <summary>The reference model's bundle with an fp16 image graph (<c>--precision fp16</c>), exported once per test class on first use.</summary>
public sealed class Fp16ReferenceBundleFixture : IDisposable
{
    private readonly ReferenceBundleFixture _bundle = new(BundlePrecision.Fp16);

    public string Folder => _bundle.Folder;

    public BundleManifest Manifest => _bundle.Manifest;

    public string PathOf(string file) => _bundle.PathOf(file);

    public void Dispose() => _bundle.Dispose();
}
