using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;

namespace IpIqa.Training.Tests.Support;

/// <summary>Exports the reference model's bundle (fp32) once per test class, on first use.</summary>
public sealed class ReferenceBundleFixture : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-export");
    private readonly Lazy<BundleManifest> _manifest;

    public ReferenceBundleFixture()
        : this(BundlePrecision.Fp32)
    {
    }

    internal ReferenceBundleFixture(string precision)
    {
        _manifest = new Lazy<BundleManifest>(() => Export(_folder.Path, precision));
    }

    /// <summary>The bundle folder, exported on first use.</summary>
    public string Folder => _manifest.Value is not null ? _folder.Path : throw new InvalidOperationException("No bundle.");

    public BundleManifest Manifest => _manifest.Value;

    public string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>Writes the reference model's bundle to <paramref name="folder"/> with the image graph in <paramref name="precision"/>.</summary>
    public static BundleManifest Export(string folder, string precision) => BundleWriter.Write(
        new BundleExportRequest
        {
            Name = "ipiqa-reference",
            Version = "0.0.1-test",
            Architecture = ReferenceModel.Instance.Architecture,
            Weights = ReferenceModel.Instance.Weights,
            VocabPath = Fixtures.PathOf(ReferenceModel.Vocab),
            OutputFolder = folder,
            Provenance = new BundleProvenance { Source = "import: ipiqa.safetensors" },
            Precision = precision,
        },
        CancellationToken.None);

    public void Dispose() => _folder.Dispose();
}
