using System.Security.Cryptography;
using IpIqa.Core.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Quantization;

namespace IpIqa.Training.Bundles;

/// <summary>
/// Writes a model bundle folder: <c>text.onnx</c>, <c>image.onnx</c>, for fp32 the head graph <c>head.onnx</c>
/// (<see cref="HeadGraphSplit"/>), the tokenizer files, and
/// <c>bundle.json</c> with the SHA-256 of every file. <c>bundle.json</c> is written last, so a
/// folder with one describes complete files. With <see cref="BundlePrecision.Fp16"/> the image graph
/// is converted by <see cref="Float16Conversion"/> before it is written, with <see cref="BundlePrecision.Int8"/>
/// quantized by <see cref="Int8BundleQuantizer"/>; its interface stays float32.
/// </summary>
public static class BundleWriter
{
    public const string TextGraphFile = "text.onnx";
    public const string ImageGraphFile = "image.onnx";
    public const string HeadGraphFile = "head.onnx";

    public static BundleManifest Write(BundleExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Version);
        if (!BundlePrecision.IsKnown(request.Precision))
        {
            throw new ArgumentException(
                $"Precision '{request.Precision}' is not one of {string.Join(", ", BundlePrecision.All)}.", nameof(request));
        }

        if (request.Precision == BundlePrecision.Int8 && request.Calibration is null)
        {
            throw new ArgumentException("Precision int8 needs a calibration set (--calibration DIR|MANIFEST).", nameof(request));
        }

        var arch = request.Architecture;
        var folder = request.OutputFolder;
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, BundleManifest.FileName);
        if (File.Exists(manifestPath))
        {
            File.Delete(manifestPath);
        }

        var tokenizer = CopyTokenizer(request, folder);
        cancellationToken.ThrowIfCancellationRequested();

        var text = TextGraphExporter.Build(arch, request.Weights);
        var textGraph = WriteGraph(text, folder, TextGraphFile, BundlePrecision.Fp32, $"IP-IQA text encoder of {request.Name} {request.Version}");
        cancellationToken.ThrowIfCancellationRequested();

        var image = ImageGraphExporter.Build(arch, request.Weights);
        var floatConvolutions = request.Precision == BundlePrecision.Int8 ? Int8BundleQuantizer.FloatConvolutions(image, request.Int8) : [];
        GraphBuilder? head = null;
        if (request.Precision == BundlePrecision.Fp32)
        {
            (image, head) = HeadGraphSplit.Split(image);
        }
        else if (request.Precision == BundlePrecision.Fp16)
        {
            image = Float16Conversion.Convert(image);
        }
        else if (request.Precision == BundlePrecision.Int8)
        {
            image = Int8BundleQuantizer.QuantizeImageGraph(image, request.Calibration!, new BundleInput { Resolution = arch.InputResolution }, request.Int8, cancellationToken);
        }

        var imageGraph = WriteGraph(image, folder, ImageGraphFile, request.Precision, $"IP-IQA image and fusion graph of {request.Name} {request.Version}{(request.Precision == BundlePrecision.Fp32 ? "" : $" ({request.Precision})")}")
            with
            {
                CalibrationSha256 = request.Precision == BundlePrecision.Int8 ? request.Calibration!.Sha256 : null,
                CalibrationMethod = request.Precision == BundlePrecision.Int8 ? request.Int8.MethodLabel : null,
                FloatConvolutions = floatConvolutions.Count > 0 ? floatConvolutions : null,
                FloatProjections = request.Precision == BundlePrecision.Int8 && request.Int8.FloatProjections ? true : null,
            };
        var headGraph = head is null ? null : WriteGraph(head, folder, HeadGraphFile, BundlePrecision.Fp32, $"IP-IQA head graph (the prompt-dependent part of the image graph) of {request.Name} {request.Version}");
        cancellationToken.ThrowIfCancellationRequested();

        var manifest = new BundleManifest
        {
            Name = request.Name,
            Version = request.Version,
            Created = request.Created ?? DateTimeOffset.UtcNow,
            Architecture = arch,
            Input = new BundleInput { Resolution = arch.InputResolution },
            Tokenizer = tokenizer,
            ScoreRange = request.ScoreRange,
            Graphs = new BundleGraphs { Text = textGraph, Image = imageGraph, Head = headGraph },
            Provenance = request.Provenance,
        };
        BundleManifestSerializer.WriteToFolder(manifest, folder);
        return manifest;
    }

    /// <summary>Lower-case hex SHA-256 of a file, read as a stream.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static BundleGraph WriteGraph(GraphBuilder graph, string folder, string file, string precision, string docString)
    {
        var path = Path.Combine(folder, file);
        OnnxModelWriter.WriteFile(graph, path, docString);
        return new BundleGraph
        {
            File = file,
            Sha256 = Sha256Of(path),
            Opset = OnnxModelWriter.Opset,
            Inputs = graph.Inputs.Select(i => i.Name).ToArray(),
            Outputs = graph.Outputs.Select(o => o.Name).ToArray(),
            Precision = precision,
        };
    }

    private static BundleTokenizer CopyTokenizer(BundleExportRequest request, string folder)
    {
        var vocab = CopyInto(request.VocabPath, folder);
        if (request.MergesPath is null)
        {
            return new BundleTokenizer
            {
                Bpe = vocab.Name,
                ContextLength = request.Architecture.ContextLength,
                Sha256 = new Dictionary<string, string> { [vocab.Name] = vocab.Sha256 },
            };
        }

        var merges = CopyInto(request.MergesPath, folder);
        return new BundleTokenizer
        {
            Vocab = vocab.Name,
            Merges = merges.Name,
            ContextLength = request.Architecture.ContextLength,
            Sha256 = new Dictionary<string, string> { [vocab.Name] = vocab.Sha256, [merges.Name] = merges.Sha256 },
        };
    }

    private static (string Name, string Sha256) CopyInto(string source, string folder)
    {
        if (!File.Exists(source))
        {
            throw new InvalidDataException($"Tokenizer file '{source}' does not exist.");
        }

        var name = Path.GetFileName(source);
        var target = Path.Combine(folder, name);
        if (!string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal))
        {
            // A stream copy, so the bundle's file gets default permissions even when the source is read-only.
            File.Delete(target);
            using var input = File.OpenRead(source);
            using var copy = File.Create(target);
            input.CopyTo(copy);
        }

        return (name, Sha256Of(target));
    }
}
