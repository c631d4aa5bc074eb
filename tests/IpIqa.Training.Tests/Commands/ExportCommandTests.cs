using System.CommandLine;
using IpIqa.Core.Bundles;
using IpIqa.Training.Commands;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Commands;

public sealed class ExportCommandTests
{
    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public async Task Export_writes_a_bundle_from_safetensors_config_and_vocab()
    {
        using var folder = new TempDirectory();
        var bundle = folder.Combine("bundle");

        var (exitCode, output, error) = await ExportReferenceAsync(bundle, "--name", "demo", "--version", "2.1.0");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Contains("text.onnx", output, StringComparison.Ordinal);
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle);
        Assert.Equal("demo", manifest.Name);
        Assert.Equal("2.1.0", manifest.Version);
        Assert.Equal("mlp", manifest.Architecture.Head);
        Assert.Equal("export: ipiqa.safetensors", manifest.Provenance?.Source);
        Assert.True(File.Exists(Path.Combine(bundle, manifest.Graphs.Image.File)));
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public async Task Export_with_precision_fp16_writes_an_fp16_image_graph_and_says_so()
    {
        using var folder = new TempDirectory();
        var bundle = folder.Combine("bundle");

        var (exitCode, output, error) = await ExportReferenceAsync(bundle, "--precision", "fp16");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        Assert.Contains("image.onnx: fp16", output, StringComparison.Ordinal);
        Assert.Contains("text.onnx: fp32", output, StringComparison.Ordinal);
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle);
        Assert.Equal(BundlePrecision.Fp16, manifest.Graphs.Image.Precision);
        Assert.Equal(BundlePrecision.Fp32, manifest.Graphs.Text.Precision);
    }

    /// <summary><c>ipiqa-train export</c> of the fixture's reference model to <paramref name="bundle"/>, with <paramref name="extra"/> options.</summary>
    private static Task<(int ExitCode, string Output, string Error)> ExportReferenceAsync(string bundle, params string[] extra) => InvokeAsync(
        [
            "export",
            "--weights", Fixtures.PathOf(ReferenceModel.Safetensors),
            "--config", Fixtures.PathOf(ReferenceModel.Manifest),
            "--vocab", Fixtures.PathOf(ReferenceModel.Vocab),
            "--out", bundle,
            .. extra,
        ],
        CancellationToken.None);

    [Theory]
    [InlineData("fp8")]
    [InlineData("FP16")]
    [InlineData("half")]
    public async Task Unknown_precision_is_a_usage_error_naming_the_choices(string precision)
    {
        var (exitCode, _, error) = await InvokeAsync(
            ["export", "--weights", "w.safetensors", "--config", "c.json", "--vocab", "v.gz", "--out", "o", "--precision", precision],
            CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(precision, error, StringComparison.Ordinal);
        Assert.Contains("fp16", error, StringComparison.Ordinal);
    }

    [FixtureFact("ipiqa-reference/ipiqa.pt", ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public async Task Import_then_export_of_the_official_checkpoint_reproduces_the_reference_scores()
    {
        // import writes a bundle itself (--out) and, with --checkpoint-out, the TorchSharp checkpoint
        // that export reads back: both bundles must give the reference scores.
        using var folder = new TempDirectory();
        var imported = folder.Combine("imported");
        var bundle = folder.Combine("bundle");

        var import = await InvokeAsync(
            [
                "import",
                "--checkpoint", Fixtures.PathOf("ipiqa-reference/ipiqa.pt"),
                "--config", Fixtures.PathOf(ReferenceModel.Manifest),
                "--vocab", Fixtures.PathOf(ReferenceModel.Vocab),
                "--out", folder.Combine("direct"),
                "--checkpoint-out", imported
            ],
            CancellationToken.None);
        Assert.True(import.ExitCode == 0, $"import exit {import.ExitCode}: {import.Error}");
        var export = await InvokeAsync(
            [
                "export",
                "--weights", Path.Combine(imported, "weights.safetensors"),
                "--config", Path.Combine(imported, "config.json"),
                "--vocab", Path.Combine(imported, "bpe_simple_vocab_16e6.txt.gz"),
                "--out", bundle
            ],
            CancellationToken.None);
        Assert.True(export.ExitCode == 0, $"export exit {export.ExitCode}: {export.Error}");

        var reference = ReferenceModel.Instance;
        var n = reference.SampleCount;
        var (pixels, pixelShape) = reference.Tensor("pixels");
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle);
        using var text = new OnnxGraphRunner(Path.Combine(bundle, manifest.Graphs.Text.File));
        using var image = new OnnxGraphRunner(Path.Combine(bundle, manifest.Graphs.Image.File));
        var features = text.Run((TextGraphExporter.InputIdsInput, reference.TokenIdRows(0, n), [n, manifest.Architecture.ContextLength]))[TextGraphExporter.TextFeaturesOutput];
        var scores = image.Run(
            (ImageGraphExporter.PixelsInput, pixels, pixelShape),
            (ImageGraphExporter.TextFeaturesInput, features, [n, manifest.Architecture.EmbedDim]))[ImageGraphExporter.ScoresOutput];

        FloatAssert.Close(reference.Tensor("scores").Values, scores, 1e-4, "scores after import and export");
        FloatAssert.Close(reference.Tensor("scores").Values, ScoreBundle(folder.Combine("direct"), reference), 1e-4, "scores of the bundle import wrote");
    }

    private static float[] ScoreBundle(string bundle, ReferenceModel reference)
    {
        var n = reference.SampleCount;
        var (pixels, pixelShape) = reference.Tensor("pixels");
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle);
        using var text = new OnnxGraphRunner(Path.Combine(bundle, manifest.Graphs.Text.File));
        using var image = new OnnxGraphRunner(Path.Combine(bundle, manifest.Graphs.Image.File));
        var features = text.Run((TextGraphExporter.InputIdsInput, reference.TokenIdRows(0, n), [n, manifest.Architecture.ContextLength]))[TextGraphExporter.TextFeaturesOutput];
        return image.Run(
            (ImageGraphExporter.PixelsInput, pixels, pixelShape),
            (ImageGraphExporter.TextFeaturesInput, features, [n, manifest.Architecture.EmbedDim]))[ImageGraphExporter.ScoresOutput];
    }

    [FixtureFact(ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public async Task Missing_weights_file_exits_with_1_and_names_the_file()
    {
        using var folder = new TempDirectory();

        var (exitCode, _, error) = await InvokeAsync(
            [
                "export",
                "--weights", folder.Combine("absent.safetensors"),
                "--config", Fixtures.PathOf(ReferenceModel.Manifest),
                "--vocab", Fixtures.PathOf(ReferenceModel.Vocab),
                "--out", folder.Combine("bundle")
            ],
            CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("absent.safetensors", error, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Vocab)]
    public async Task Config_that_is_not_json_exits_with_1_and_names_the_file()
    {
        using var folder = new TempDirectory();
        var config = folder.Combine("broken.json");
        await File.WriteAllTextAsync(config, "{ \"embed_dim\": ", CancellationToken.None);

        var (exitCode, _, error) = await InvokeAsync(
            [
                "export",
                "--weights", Fixtures.PathOf(ReferenceModel.Safetensors),
                "--config", config,
                "--vocab", Fixtures.PathOf(ReferenceModel.Vocab),
                "--out", folder.Combine("bundle")
            ],
            CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("broken.json is not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_option_is_a_usage_error()
    {
        var (exitCode, _, error) = await InvokeAsync(["export", "--weights", "w.safetensors"], CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--config", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = new RootCommand("test");
        foreach (var command in TrainCommands.All())
        {
            root.Subcommands.Add(command);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
