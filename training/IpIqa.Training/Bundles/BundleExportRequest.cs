using IpIqa.Core.Bundles;
using IpIqa.Training.Quantization;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Bundles;

/// <summary>What <see cref="BundleWriter"/> needs to write a model bundle folder.</summary>
public sealed record BundleExportRequest
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required BundleArchitecture Architecture { get; init; }
    public required WeightSet Weights { get; init; }

    /// <summary>OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>, or a Hugging Face <c>vocab.json</c> when <see cref="MergesPath"/> is set.</summary>
    public required string VocabPath { get; init; }

    /// <summary>Hugging Face <c>merges.txt</c>; null for the OpenAI BPE file.</summary>
    public string? MergesPath { get; init; }

    public required string OutputFolder { get; init; }
    public DateTimeOffset? Created { get; init; }
    public IReadOnlyDictionary<string, ScoreRange>? ScoreRange { get; init; }
    public BundleProvenance? Provenance { get; init; }

    /// <summary>
    /// What the image + fusion graph computes in: <see cref="BundlePrecision.Fp32"/> (the default),
    /// <see cref="BundlePrecision.Fp16"/> or <see cref="BundlePrecision.Int8"/> (which needs <see cref="Calibration"/>).
    /// The text graph is always fp32: it runs once per distinct prompt.
    /// </summary>
    public string Precision { get; init; } = BundlePrecision.Fp32;

    /// <summary>The images that set the int8 activation scales; required with <see cref="BundlePrecision.Int8"/>, unused otherwise.</summary>
    public CalibrationSet? Calibration { get; init; }

    /// <summary>With <see cref="BundlePrecision.Int8"/>: the range rule and float32 convolutions (<see cref="Int8Settings.Default"/> unless given).</summary>
    public Int8Settings Int8 { get; init; } = Int8Settings.Default;
}
