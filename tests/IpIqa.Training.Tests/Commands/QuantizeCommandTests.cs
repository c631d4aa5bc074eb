using System.CommandLine;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Commands;
using IpIqa.Training.Onnx;
using IpIqa.Training.Quantization;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Commands;

/// <summary>
/// <c>ipiqa-train quantize</c> and <c>export --precision int8</c>: bad calibration input is refused with a
/// message that names it, and nothing is left that looks like a bundle.
/// </summary>
public sealed class QuantizeCommandTests
{
    [Fact]
    public async Task Empty_calibration_folder_is_refused_and_no_bundle_is_written()
    {
        using var folder = new TempDirectory();
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "not an image");

        var (exitCode, _, error) = await QuantizeAsync(empty, folder.Combine("out"));

        Assert.Equal(1, exitCode);
        Assert.Contains("holds no images", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("out", BundleManifest.FileName)));
    }

    [Fact]
    public async Task Unreadable_calibration_image_is_refused_by_name_and_no_bundle_is_written()
    {
        using var folder = new TempDirectory();
        var images = folder.Combine("images");
        Directory.CreateDirectory(images);
        File.Copy(DemoBundle.Sample("good-clean.png"), Path.Combine(images, "a.png"));
        File.WriteAllBytes(Path.Combine(images, "b.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var (exitCode, _, error) = await QuantizeAsync(images, folder.Combine("out"));

        Assert.Equal(1, exitCode);
        Assert.Contains("b.png", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("out", BundleManifest.FileName)));
    }

    [Fact]
    public async Task Calibration_manifest_naming_a_missing_image_is_refused_by_name()
    {
        using var folder = new TempDirectory();
        var manifest = folder.Combine("calibration.txt");
        File.WriteAllLines(manifest, ["# calibration images", DemoBundle.Sample("good-clean.png"), "absent.png"]);

        var (exitCode, _, error) = await QuantizeAsync(manifest, folder.Combine("out"));

        Assert.Equal(1, exitCode);
        Assert.Contains("absent.png", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quantizing_a_bundle_into_its_own_folder_is_refused()
    {
        var (exitCode, _, error) = await QuantizeAsync(DemoBundle.Sample(""), DemoBundle.Folder);

        Assert.Equal(1, exitCode);
        Assert.Contains("another folder", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("1.5")]
    [InlineData("NaN")]
    public async Task A_percentile_out_of_range_is_refused_before_any_calibration(string percentile)
    {
        using var folder = new TempDirectory();
        var (exitCode, _, error) = await InvokeAsync(
            ["quantize", "--bundle", folder.Combine("absent"), "--calibration", folder.Combine("absent"), "--out", folder.Combine("out"), "--percentile", percentile]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--percentile", error, StringComparison.Ordinal);
        Assert.Contains("above 0.5 and at most 1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kl")]
    [InlineData("")]
    public async Task An_unknown_calibration_method_is_refused_before_any_calibration(string method)
    {
        using var folder = new TempDirectory();
        var (exitCode, _, error) = await InvokeAsync(
            ["quantize", "--bundle", folder.Combine("absent"), "--calibration", folder.Combine("absent"), "--out", folder.Combine("out"), "--calibration-method", method]);

        Assert.Equal(1, exitCode);
        Assert.Contains("minmax", error, StringComparison.Ordinal); // the message lists the methods there are
        Assert.Contains("entropy", error, StringComparison.Ordinal);
        Assert.DoesNotContain("absent", error, StringComparison.Ordinal); // refused before the bundle is looked for
    }

    [Fact]
    public async Task A_percentile_with_another_calibration_method_is_refused_and_no_bundle_is_written()
    {
        using var folder = new TempDirectory();
        var samples = Path.GetDirectoryName(DemoBundle.Sample("good-clean.png"))!;

        var (exitCode, _, error) = await InvokeAsync(
            ["quantize", "--bundle", DemoBundle.Folder, "--calibration", samples, "--out", folder.Combine("out"), "--calibration-method", "entropy", "--percentile", "0.999"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--percentile applies to --calibration-method percentile only, not entropy", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("out", BundleManifest.FileName)));
    }

    [Fact]
    public async Task A_calibration_method_without_precision_int8_is_refused()
    {
        var (exitCode, _, error) = await InvokeAsync(
            ["export", "--weights", "w.safetensors", "--config", "c.json", "--vocab", "v.gz", "--out", "o", "--calibration-method", "mse"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--calibration-method applies to --precision int8 only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keep_float_prefix_that_names_no_convolution_is_refused_and_no_bundle_is_written()
    {
        using var folder = new TempDirectory();
        var samples = Path.GetDirectoryName(DemoBundle.Sample("good-clean.png"))!;

        var (exitCode, _, error) = await InvokeAsync(
            ["quantize", "--bundle", DemoBundle.Folder, "--calibration", samples, "--out", folder.Combine("out"), "--keep-float", "resnet50.stme"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--keep-float 'resnet50.stme' names no convolution", error, StringComparison.Ordinal);
        Assert.Contains("resnet50.stem", error, StringComparison.Ordinal); // an example of the names there are
        Assert.False(File.Exists(folder.Combine("out", BundleManifest.FileName)));
    }

    [Fact]
    public async Task The_int8_bundle_records_the_convolutions_kept_in_float32_and_the_calibration_method()
    {
        using var folder = new TempDirectory();
        var samples = Path.GetDirectoryName(DemoBundle.Sample("good-clean.png"))!;
        var source = OnnxGraphReader.ReadFile(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));
        string[] expected = [.. source.Nodes.Where(n => n.OpType == "Conv" && n.Name.StartsWith("resnet50.stem", StringComparison.Ordinal)).Select(n => n.Name), "resnet50.layer1.0/Conv_3"];

        var (keptExit, keptOutput, keptError) = await InvokeAsync(
            ["quantize", "--bundle", DemoBundle.Folder, "--calibration", samples, "--out", folder.Combine("kept"), "--keep-float", "resnet50.stem", "resnet50.layer1.0/Conv_3", "--calibration-method", "mse", "--float-projections"]);
        var (plainExit, _, plainError) = await QuantizeAsync(samples, folder.Combine("plain"));

        Assert.True(keptExit == 0, keptError);
        Assert.True(plainExit == 0, plainError);
        Assert.Equal(4, expected.Length);
        Assert.Equal(expected, BundleManifestSerializer.ReadFromFolder(folder.Combine("kept")).Graphs.Image.FloatConvolutions);
        Assert.Null(BundleManifestSerializer.ReadFromFolder(folder.Combine("plain")).Graphs.Image.FloatConvolutions);
        Assert.Equal("mse", BundleManifestSerializer.ReadFromFolder(folder.Combine("kept")).Graphs.Image.CalibrationMethod);
        Assert.Equal(Int8Settings.Default.MethodLabel, BundleManifestSerializer.ReadFromFolder(folder.Combine("plain")).Graphs.Image.CalibrationMethod);
        Assert.Contains("ranges by mse", keptOutput, StringComparison.Ordinal);

        // --float-projections keeps the key/value projection weights as float32 initializers; the default replaces them.
        static int FloatProjections(string bundle) => OnnxGraphReader.ReadFile(Path.Combine(bundle, BundleWriter.ImageGraphFile)).Initializers
            .Count(kv => kv.Value.ElementType == TensorElementType.Float32 && Int8Quantization.ProjectionSuffixes.Any(s => kv.Key.EndsWith(s, StringComparison.Ordinal)));
        Assert.Equal(4, FloatProjections(folder.Combine("kept")));
        Assert.Equal(0, FloatProjections(folder.Combine("plain")));
        Assert.True(BundleManifestSerializer.ReadFromFolder(folder.Combine("kept")).Graphs.Image.FloatProjections);
        Assert.Null(BundleManifestSerializer.ReadFromFolder(folder.Combine("plain")).Graphs.Image.FloatProjections);
    }

    [Fact]
    public void Calibration_hash_follows_the_images_not_the_listing_order()
    {
        using var folder = new TempDirectory();
        var images = folder.Combine("images");
        Directory.CreateDirectory(images);
        File.Copy(DemoBundle.Sample("good-clean.png"), Path.Combine(images, "a.png"));
        File.Copy(DemoBundle.Sample("degraded-blur.png"), Path.Combine(images, "b.png"));
        var manifest = folder.Combine("list.txt");
        File.WriteAllLines(manifest, ["images/b.png", "", "images/a.png"]);

        var fromFolder = CalibrationSet.Resolve(images);
        var fromManifest = CalibrationSet.Resolve(manifest);
        File.Copy(DemoBundle.Sample("good-light-noise.png"), Path.Combine(images, "b.png"), overwrite: true);
        var changed = CalibrationSet.Resolve(images);

        Assert.Equal(2, fromFolder.ImagePaths.Count);
        Assert.Equal(fromFolder.Sha256, fromManifest.Sha256);
        Assert.NotEqual(fromFolder.Sha256, changed.Sha256);
    }

    [Fact]
    public async Task Export_with_precision_int8_needs_a_calibration_set()
    {
        var (exitCode, _, error) = await InvokeAsync(
            ["export", "--weights", "w.safetensors", "--config", "c.json", "--vocab", "v.gz", "--out", "o", "--precision", "int8"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--calibration", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calibration_without_precision_int8_is_refused()
    {
        var (exitCode, _, error) = await InvokeAsync(
            ["export", "--weights", "w.safetensors", "--config", "c.json", "--vocab", "v.gz", "--out", "o", "--calibration", "samples"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("int8 only", error, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public async Task Export_with_precision_int8_writes_a_calibrated_int8_image_graph_and_says_so()
    {
        using var folder = new TempDirectory();
        var bundle = folder.Combine("bundle");
        var samples = Path.GetDirectoryName(DemoBundle.Sample("good-clean.png"))!;

        var (exitCode, output, error) = await InvokeAsync(
            [
                "export",
                "--weights", Fixtures.PathOf(ReferenceModel.Safetensors),
                "--config", Fixtures.PathOf(ReferenceModel.Manifest),
                "--vocab", Fixtures.PathOf(ReferenceModel.Vocab),
                "--out", bundle,
                "--precision", "int8",
                "--calibration", samples,
                "--calibration-method", "percentile",
            ]);

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Contains("image.onnx: int8", output, StringComparison.Ordinal);
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle);
        Assert.Equal(BundlePrecision.Int8, manifest.Graphs.Image.Precision);
        Assert.Equal(CalibrationSet.Resolve(samples).Sha256, manifest.Graphs.Image.CalibrationSha256);
        Assert.Equal("percentile 0.9999", manifest.Graphs.Image.CalibrationMethod);
        Assert.Equal(BundlePrecision.Fp32, manifest.Graphs.Text.Precision);
        Assert.Null(manifest.Graphs.Text.CalibrationSha256);
    }

    private static Task<(int ExitCode, string Output, string Error)> QuantizeAsync(string calibration, string output) =>
        InvokeAsync(["quantize", "--bundle", DemoBundle.Folder, "--calibration", calibration, "--out", output]);

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in TrainCommands.All())
        {
            root.Subcommands.Add(command);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
