using System.Reflection;
using IpIqa.Core.Bundles;
using IpIqa.Model;
using IpIqa.Training.Import;
using IpIqa.Training.Quantization;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Bundles;

/// <summary>Exports a TorchSharp <see cref="IpIqaModel"/> straight to a model bundle folder.</summary>
public static class ModelBundleExporter
{
    /// <summary>The tool name and version recorded in a bundle's provenance.</summary>
    public static string ToolVersion { get; } =
        $"ipiqa-train {typeof(ModelBundleExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}";

    /// <summary>
    /// Writes <paramref name="model"/>'s weights as <c>text.onnx</c> + <c>image.onnx</c> with the tokenizer and <c>bundle.json</c>;
    /// <paramref name="precision"/> (<see cref="BundlePrecision"/>) is that of the image graph; int8 needs <paramref name="calibration"/>.
    /// </summary>
    public static BundleManifest Export(
        IpIqaModel model,
        string vocabPath,
        string? mergesPath,
        string outputFolder,
        string name,
        string version,
        BundleProvenance? provenance,
        IReadOnlyDictionary<string, ScoreRange>? scoreRange,
        string precision,
        CalibrationSet? calibration,
        Int8Settings? int8,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = WeightSet.FromFloatArrays(StateDictExport.ToFloatArrays(model), $"{name} (TorchSharp)");
        return BundleWriter.Write(
            new BundleExportRequest
            {
                Name = name,
                Version = version,
                Architecture = ArchitectureConversion.ToBundle(model.Config),
                Weights = weights,
                VocabPath = vocabPath,
                MergesPath = mergesPath,
                OutputFolder = outputFolder,
                ScoreRange = scoreRange,
                Provenance = (provenance ?? new BundleProvenance()) with { Tool = ToolVersion },
                Precision = precision,
                Calibration = calibration,
                Int8 = int8 ?? Int8Settings.Default,
            },
            cancellationToken);
    }
}
