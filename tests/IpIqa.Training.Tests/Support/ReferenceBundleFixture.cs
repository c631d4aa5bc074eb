using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;

namespace IpIqa.Training.Tests.Support;

/// <summary>Exports the reference model's bundle once per test class, on first use.</summary>
public sealed class ReferenceBundleFixture : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-export");
    private readonly Lazy<BundleManifest> _manifest;

    public ReferenceBundleFixture()
    {
        _manifest = new Lazy<BundleManifest>(() => BundleWriter.Write(
            new BundleExportRequest
            {
                Name = "ipiqa-reference",
                Version = "0.0.1-test",
                Architecture = ReferenceModel.Instance.Architecture,
                Weights = ReferenceModel.Instance.Weights,
                VocabPath = Fixtures.PathOf(ReferenceModel.Vocab),
                OutputFolder = _folder.Path,
                Provenance = new BundleProvenance { Source = "import: ipiqa.safetensors" },
            },
            CancellationToken.None));
    }

    /// <summary>The bundle folder, exported on first use.</summary>
    public string Folder => _manifest.Value is not null ? _folder.Path : throw new InvalidOperationException("No bundle.");

    public BundleManifest Manifest => _manifest.Value;

    public string PathOf(string file) => Path.Combine(Folder, file);

    public void Dispose() => _folder.Dispose();
}
