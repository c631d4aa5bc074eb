using System.CommandLine;
using System.Diagnostics;
using IpIqa.Training.Bundles;
using IpIqa.Training.Quantization;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train quantize --bundle DIR --calibration DIR|MANIFEST --out DIR</c>: writes the int8 (static QDQ)
/// bundle of an fp32 bundle, for CPU deployments, without its checkpoint. The source bundle is not changed.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo>("--bundle") { Description = "fp32 model bundle folder to quantize.", Required = true };
        var calibration = ExportCommand.CalibrationOption();
        calibration.Required = true;
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder of the int8 bundle to write (not the source folder).", Required = true };
        var keepFloat = new Option<string[]>("--keep-float")
        {
            Description = "Node-name prefix of convolutions left in float32 (repeatable), e.g. resnet50.stem.",
            AllowMultipleArgumentsPerToken = true,
        };
        var floatProjections = new Option<bool>("--float-projections")
        {
            Description = "Leave the attention pools' key/value projection MatMuls in float32 as well.",
        };
        var method = ExportCommand.CalibrationMethodOption();
        var percentile = new Option<double?>("--percentile")
        {
            Description = "With --calibration-method percentile (implied when alone): the share of each activation's calibration values its range keeps, clipping both tails (default 0.9999).",
        };
        // Checked when the command line is read, before any bundle is opened or calibration pass is run.
        percentile.Validators.Add(result =>
        {
            if (result.GetValue(percentile) is { } share && !(share > 0.5 && share <= 1))
            {
                result.AddError(Int8Settings.PercentileError(share));
            }
        });
        var command = new Command("quantize", "Write the int8 (static QDQ, calibrated) bundle of an fp32 bundle, for CPU deployments.")
        {
            bundle, calibration, output, keepFloat, floatProjections, method, percentile,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var clock = Stopwatch.StartNew();
                var set = CalibrationSet.Resolve(parse.GetValue(calibration)!);
                var outFolder = parse.GetValue(output)!.FullName;
                var settings = Int8Settings.FromOptions(parse.GetValue(method), parse.GetValue(percentile), parse.GetValue(keepFloat), parse.GetValue(floatProjections));
                var manifest = Int8BundleQuantizer.QuantizeBundle(parse.GetValue(bundle)!.FullName, set, outFolder, ModelBundleExporter.ToolVersion, settings, cancellationToken);
                stdout.WriteLine($"calibrated on {set.ImagePaths.Count} images (sha256 {set.Sha256}), ranges by {settings.MethodLabel}");
                stdout.WriteLine($"int8 bundle {manifest.Name} {manifest.Version} written to {outFolder} in {clock.Elapsed.TotalSeconds:F1} s");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                stderr.WriteLine($"quantize failed: {ex.Message}");
                return Task.FromResult(1);
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
            {
                stderr.WriteLine($"quantize failed ({ex.GetType().Name}): {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }
}
