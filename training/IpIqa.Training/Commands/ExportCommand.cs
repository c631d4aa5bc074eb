using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using IpIqa.Core.Bundles;
using IpIqa.Training.Bundles;
using IpIqa.Training.Import;
using IpIqa.Training.Quantization;
using IpIqa.Training.Training;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train export --weights FILE.safetensors --config FILE.json --vocab FILE --out DIR [--name N --version V] [--precision fp32|fp16|int8 [--calibration DIR|MANIFEST] [--calibration-method M]]</c>:
/// writes a model bundle (text.onnx, image.onnx, tokenizer, bundle.json) from weights keyed by the official names.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "Weights (.safetensors) keyed by the official IP-IQA state-dict names.", Required = true };
        var config = new Option<FileInfo>("--config") { Description = "Model config JSON (snake_case architecture fields, top level or under \"config\").", Required = true };
        var vocab = new Option<FileInfo>("--vocab") { Description = "CLIP BPE file (bpe_simple_vocab_16e6.txt.gz), or vocab.json with --merges.", Required = true };
        var merges = new Option<FileInfo?>("--merges") { Description = "Hugging Face merges.txt, when --vocab is a vocab.json." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Bundle folder to write.", Required = true };
        var name = new Option<string>("--name") { Description = "Bundle name.", DefaultValueFactory = _ => "ipiqa" };
        var version = new Option<string?>("--version") { Description = "Bundle version (default: the UTC date and time)." };
        var dataNote = new Option<string?>("--data-note") { Description = "What the model was trained on (bundle.json provenance.data)." };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Metrics JSON (as ipiqa-train evaluate writes it) recorded as provenance.metrics." };
        var precision = PrecisionOption();
        var calibration = CalibrationOption();
        var method = CalibrationMethodOption();

        var command = new Command("export", "Export weights to an ONNX model bundle (text.onnx, image.onnx, tokenizer, bundle.json).");
        foreach (var option in new Option[] { weights, config, vocab, merges, output, name, version, dataNote, metrics, precision, calibration, method })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            try
            {
                var manifest = Run(
                    parseResult.GetValue(weights)!.FullName,
                    parseResult.GetValue(config)!.FullName,
                    parseResult.GetValue(vocab)!.FullName,
                    parseResult.GetValue(merges)?.FullName,
                    parseResult.GetValue(output)!.FullName,
                    parseResult.GetValue(name)!,
                    parseResult.GetValue(version),
                    new BundleProvenance
                    {
                        Data = parseResult.GetValue(dataNote),
                        Metrics = parseResult.GetValue(metrics) is { } file ? MetricsJson.Flatten(file.FullName) : null,
                    },
                    parseResult.GetValue(precision)!,
                    parseResult.GetValue(calibration),
                    ResolveInt8(parseResult.GetValue(precision)!, parseResult.GetValue(method)),
                    stdout,
                    cancellationToken);
                stdout.WriteLine($"bundle {manifest.Name} {manifest.Version} written to {parseResult.GetValue(output)!.FullName}");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or CheckpointException)
            {
                stderr.WriteLine($"export failed: {ex.Message}");
                return Task.FromResult(1);
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
            {
                stderr.WriteLine($"export failed ({ex.GetType().Name}): {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    /// <summary><c>--calibration DIR|MANIFEST</c>: the images that set the int8 activation scales.</summary>
    internal static Option<string?> CalibrationOption() => new("--calibration")
    {
        Description = "With --precision int8: a folder of images, or a text file listing one image path per line, to calibrate the activation scales on (16-64 images like the deployment's).",
    };

    /// <summary><c>--calibration-method minmax|percentile|entropy|mse</c>: how each activation's int8 range is chosen.</summary>
    internal static Option<CalibrationMethod?> CalibrationMethodOption()
    {
        var option = new Option<CalibrationMethod?>("--calibration-method")
        {
            Description = "How each activation's int8 range is chosen from the calibration values: minmax (default), percentile (--percentile), entropy (KL, TensorRT-style) or mse (least squared error); recorded in bundle.json.",
            HelpName = "minmax|percentile|entropy|mse",
        };
        option.AcceptOnlyFromAmong("minmax", "percentile", "entropy", "mse");
        return option;
    }

    /// <summary>The calibration set for <paramref name="precision"/>: required with int8, refused otherwise.</summary>
    internal static CalibrationSet? ResolveCalibration(string precision, string? calibration) => (precision, calibration) switch
    {
        (BundlePrecision.Int8, null) => throw new ArgumentException("--precision int8 needs --calibration DIR|MANIFEST."),
        (BundlePrecision.Int8, { } path) => CalibrationSet.Resolve(path),
        (_, null) => null,
        _ => throw new ArgumentException("--calibration applies to --precision int8 only."),
    };

    /// <summary>The int8 settings of <c>--calibration-method</c>: the default when absent; refused without int8.</summary>
    internal static Int8Settings ResolveInt8(string precision, CalibrationMethod? method) => (precision, method) switch
    {
        (_, null) => Int8Settings.Default,
        (BundlePrecision.Int8, { } chosen) => Int8Settings.FromOptions(chosen, percentile: null),
        _ => throw new ArgumentException("--calibration-method applies to --precision int8 only."),
    };

    /// <summary><c>--precision fp32|fp16|int8</c>: what the image + fusion graph computes in (export and import share it).</summary>
    internal static Option<string> PrecisionOption()
    {
        var option = new Option<string>("--precision")
        {
            Description = "Image + fusion graph precision: fp32, fp16 (float16 weights and arithmetic), or int8 (static QDQ for CPUs, needs --calibration); inputs and outputs stay float32 and the text graph fp32.",
            DefaultValueFactory = _ => BundlePrecision.Fp32,
        };
        option.AcceptOnlyFromAmong([.. BundlePrecision.All]);
        return option;
    }

    private static BundleManifest Run(
        string weightsPath,
        string configPath,
        string vocabPath,
        string? mergesPath,
        string outputFolder,
        string name,
        string? version,
        BundleProvenance notes,
        string precision,
        string? calibrationPath,
        Int8Settings int8,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var calibration = ResolveCalibration(precision, calibrationPath);
        var weights = CheckpointWeights.Read(weightsPath);
        var architecture = ArchitectureConfigReader.Read(configPath, weights);
        log.WriteLine($"read {weightsPath} in {clock.Elapsed.TotalSeconds:F1} s; head {architecture.Head}, text feature {architecture.TextFeature}");

        var tool = $"ipiqa-train {typeof(ExportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}";
        var manifest = BundleWriter.Write(
            new BundleExportRequest
            {
                Name = name,
                Version = version ?? DateTimeOffset.UtcNow.ToString("yyyy.MM.dd-HHmmss", CultureInfo.InvariantCulture),
                Architecture = architecture,
                Weights = weights,
                VocabPath = vocabPath,
                MergesPath = mergesPath,
                OutputFolder = outputFolder,
                Provenance = notes with { Source = $"export: {Path.GetFileName(weightsPath)}", Command = "ipiqa-train export", Tool = tool },
                Precision = precision,
                Calibration = calibration,
                Int8 = int8,
            },
            cancellationToken);

        foreach (var graph in new[] { manifest.Graphs.Text, manifest.Graphs.Image, manifest.Graphs.Head }.OfType<BundleGraph>())
        {
            var bytes = new FileInfo(Path.Combine(outputFolder, graph.File)).Length;
            log.WriteLine($"{graph.File}: {graph.EffectivePrecision}, {bytes / (1024.0 * 1024.0):F1} MiB, sha256 {graph.Sha256}");
        }

        log.WriteLine($"export took {clock.Elapsed.TotalSeconds:F1} s");
        return manifest;
    }
}
