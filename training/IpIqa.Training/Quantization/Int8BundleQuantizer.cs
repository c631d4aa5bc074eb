using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Imaging;
using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;

namespace IpIqa.Training.Quantization;

/// <summary>
/// Makes the int8 image graph of a bundle: calibration of the float32 graph over a calibration
/// set (<see cref="ActivationCalibration"/>), then the QDQ rewrite (<see cref="Int8Quantization"/>).
/// <see cref="QuantizeBundle"/> does it for a bundle already on disk: the int8 bundle is a new folder
/// with the same text graph and tokenizer, whose <c>bundle.json</c> says <c>precision: int8</c> and
/// carries the calibration set's SHA-256.
/// </summary>
public static class Int8BundleQuantizer
{
    /// <summary>The int8 copy of the float32 image graph <paramref name="fp32"/>.</summary>
    public static GraphBuilder QuantizeImageGraph(GraphBuilder fp32, CalibrationSet calibration, BundleInput input, CancellationToken cancellationToken) =>
        QuantizeImageGraph(fp32, calibration, input, Int8Settings.Default, cancellationToken);

    /// <summary>The int8 copy of <paramref name="fp32"/>, with <paramref name="settings"/>' float convolutions and range rule.</summary>
    public static GraphBuilder QuantizeImageGraph(GraphBuilder fp32, CalibrationSet calibration, BundleInput input, Int8Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        _ = FloatConvolutions(fp32, settings); // a prefix that names nothing is refused before the calibration passes
        var spec = new PreprocessSpec(input.Resolution, input.Mean, input.Std);
        var ranges = ActivationCalibration.Run(fp32, calibration, new ImagePreprocessor(new ImagingOptions()), spec, settings, cancellationToken);
        return Int8Quantization.Quantize(fp32, ranges, settings.KeepFloat, settings.FloatProjections);
    }

    /// <summary>The names of the convolutions of <paramref name="fp32"/> that <paramref name="settings"/> keeps in float32, in graph order.</summary>
    /// <exception cref="InvalidDataException">A <see cref="Int8Settings.KeepFloat"/> prefix is blank or names no convolution.</exception>
    public static IReadOnlyList<string> FloatConvolutions(GraphBuilder fp32, Int8Settings settings)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(settings);
        var convolutions = fp32.Nodes.Where(n => n.OpType == "Conv").Select(n => n.Name).ToArray();
        foreach (var prefix in settings.KeepFloat)
        {
            if (string.IsNullOrWhiteSpace(prefix) || !convolutions.Any(c => c.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var examples = convolutions.Length == 0 ? "it has none" : $"they are named like {convolutions[0]} and {convolutions[^1]}";
                throw new InvalidDataException($"--keep-float '{prefix}' names no convolution of the image graph ({examples}).");
            }
        }

        return convolutions.Where(c => settings.KeepFloat.Any(p => c.StartsWith(p, StringComparison.Ordinal))).ToArray();
    }

    /// <summary>Writes the int8 bundle of the fp32 bundle in <paramref name="bundleFolder"/> to <paramref name="outputFolder"/>.</summary>
    /// <exception cref="InvalidDataException">The bundle is not fp32, the folders are the same, or the calibration set is unusable.</exception>
    public static BundleManifest QuantizeBundle(string bundleFolder, CalibrationSet calibration, string outputFolder, string tool, CancellationToken cancellationToken) =>
        QuantizeBundle(bundleFolder, calibration, outputFolder, tool, Int8Settings.Default, cancellationToken);

    /// <inheritdoc cref="QuantizeBundle(string, CalibrationSet, string, string, CancellationToken)"/>
    public static BundleManifest QuantizeBundle(string bundleFolder, CalibrationSet calibration, string outputFolder, string tool, Int8Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var source = BundleManifestSerializer.ReadFromFolder(bundleFolder);
        if (source.Graphs.Image.EffectivePrecision != BundlePrecision.Fp32)
        {
            throw new InvalidDataException(
                $"{bundleFolder}: the image graph is {source.Graphs.Image.EffectivePrecision}; int8 is made from an fp32 bundle.");
        }

        if (string.Equals(Path.GetFullPath(bundleFolder).TrimEnd('/'), Path.GetFullPath(outputFolder).TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new InvalidDataException("The int8 bundle must go to another folder than its fp32 source (int8 is its own bundle).");
        }

        var imagePath = Path.Combine(bundleFolder, source.Graphs.Image.File);
        if (BundleWriter.Sha256Of(imagePath) != source.Graphs.Image.Sha256)
        {
            throw new InvalidDataException($"{imagePath} does not match the SHA-256 in {BundleManifest.FileName}.");
        }

        var fp32 = OnnxGraphReader.ReadFile(imagePath);
        var floatConvolutions = FloatConvolutions(fp32, settings);
        var int8 = QuantizeImageGraph(fp32, calibration, source.Input, settings, cancellationToken);
        Directory.CreateDirectory(outputFolder);
        var manifestPath = Path.Combine(outputFolder, BundleManifest.FileName);
        File.Delete(manifestPath);
        foreach (var file in source.Tokenizer.Sha256.Keys.Append(source.Graphs.Text.File))
        {
            File.Copy(Path.Combine(bundleFolder, file), Path.Combine(outputFolder, file), overwrite: true);
        }

        var image = WriteImageGraph(int8, outputFolder, source.Graphs.Image.File, $"IP-IQA image and fusion graph of {source.Name} {source.Version} (int8)");
        var manifest = source with
        {
            Graphs = source.Graphs with
            {
                Image = source.Graphs.Image with
                {
                    Sha256 = image,
                    Precision = BundlePrecision.Int8,
                    CalibrationSha256 = calibration.Sha256,
                    CalibrationMethod = settings.MethodLabel,
                    FloatConvolutions = floatConvolutions.Count > 0 ? floatConvolutions : null,
                    FloatProjections = settings.FloatProjections ? true : null,
                },
                Head = null, // the fp32 head does not go with the int8 image graph: words are explained with the whole graph
            },
            Provenance = (source.Provenance ?? new BundleProvenance()) with { Command = "ipiqa-train quantize", Tool = tool },
        };
        BundleManifestSerializer.WriteToFolder(manifest, outputFolder);
        return manifest;
    }

    /// <summary>Writes the graph and returns its SHA-256.</summary>
    internal static string WriteImageGraph(GraphBuilder graph, string folder, string file, string docString)
    {
        var path = Path.Combine(folder, file);
        OnnxModelWriter.WriteFile(graph, path, docString);
        return BundleWriter.Sha256Of(path);
    }
}
