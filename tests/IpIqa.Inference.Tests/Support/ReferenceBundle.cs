using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Inference.Tests.Support;

/// <summary>
/// The fixtures' reference IP-IQA model exported as a bundle (once per test class) with the
/// exporter, plus the reference samples: image files, prompts, token ids, pixels and scores.
/// </summary>
public sealed class ReferenceBundle : IDisposable
{
    public const string Safetensors = "ipiqa-reference/ipiqa.safetensors";
    public const string Manifest = "ipiqa-reference/manifest.json";
    public const string Vocab = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";

    private readonly TempDirectory _folder = new("ipiqa-reference-bundle");
    private readonly Lazy<string> _exported;

    public ReferenceBundle()
    {
        _exported = new Lazy<string>(Export);
    }

    /// <summary>The bundle folder (exported on first use).</summary>
    public string Folder => _exported.Value;

    public static IReadOnlyList<(string Image, string Prompt, long[] TokenIds)> Samples()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(Manifest)));
        return manifest.RootElement.GetProperty("samples").EnumerateArray()
            .Select(s => (
                Fixtures.PathOf("ipiqa-reference", s.GetProperty("image").GetString()!),
                s.GetProperty("prompt").GetString()!,
                s.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt64()).ToArray()))
            .ToArray();
    }

    /// <summary>Reference scores, N×2 (quality, alignment).</summary>
    public static float[] Scores() => Fixtures.ReadF32("ipiqa-reference", "scores.f32");

    public static float[] Pixels() => Fixtures.ReadF32("ipiqa-reference", "pixels.f32");

    public static float[] TextFeatures() => Fixtures.ReadF32("ipiqa-reference", "text_features.f32");

    public void Dispose() => _folder.Dispose();

    /// <summary>Exports the reference bundle into <paramref name="folder"/>, its image graph in <paramref name="precision"/> (<see cref="BundlePrecision"/>).</summary>
    public static void ExportTo(string folder, string precision)
    {
        var weights = CheckpointWeights.Read(Fixtures.PathOf(Safetensors));
        BundleWriter.Write(
            new BundleExportRequest
            {
                Name = "ipiqa-reference",
                Version = "0.0.1-test",
                Architecture = ArchitectureConfigReader.Read(Fixtures.PathOf(Manifest), weights),
                Weights = weights,
                VocabPath = Fixtures.PathOf(Vocab),
                OutputFolder = folder,
                Provenance = new BundleProvenance { Source = "import: ipiqa.safetensors" },
                Precision = precision,
            },
            CancellationToken.None);
    }

    private string Export()
    {
        ExportTo(_folder.Path, BundlePrecision.Fp32);
        return _folder.Path;
    }
}
