using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Worker.Tests.Support;

/// <summary>The fixtures' tiny reference IP-IQA model, exported as a bundle into a temporary folder.</summary>
public sealed class ReferenceBundle : IDisposable
{
    public const string Weights = "ipiqa-reference/ipiqa.safetensors";
    public const string Manifest = "ipiqa-reference/manifest.json";
    public const string Vocab = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";

    private readonly TempDirectory _folder = new("ipiqa-worker-bundle");

    public ReferenceBundle()
    {
        var weights = new WeightSet(SafetensorsReader.Read(Fixtures.PathOf(Weights)), Weights);
        BundleWriter.Write(
            new BundleExportRequest
            {
                Name = "ipiqa-reference",
                Version = "0.0.1-test",
                Architecture = ArchitectureConfigReader.Read(Fixtures.PathOf(Manifest), weights),
                Weights = weights,
                VocabPath = Fixtures.PathOf(Vocab),
                OutputFolder = _folder.Path,
                Provenance = new BundleProvenance { Source = "fixture: ipiqa.safetensors" },
            },
            CancellationToken.None);
    }

    public string Folder => _folder.Path;

    public void Dispose() => _folder.Dispose();
}
