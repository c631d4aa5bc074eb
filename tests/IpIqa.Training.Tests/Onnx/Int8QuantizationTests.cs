using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Data;
using IpIqa.Training.Evaluation;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// <c>--precision int8</c> on trained weights (the demo bundle): the QDQ graph loads in ONNX Runtime, every
/// convolution fuses to an integer kernel, the interface stays float32, and held-out scores stay close to fp32.
/// </summary>
public sealed class Int8QuantizationTests(Int8DemoFixture int8, ITestOutputHelper log) : IClassFixture<Int8DemoFixture>
{
    /// <summary>
    /// Largest |int8 − fp32| allowed on a score (1–5 scale). Measured on 1000 held-out synthetic images
    /// (docs/benchmarks.md, "int8", default settings on demo 1.2.0): max 0.32 (quality) and 0.37 (alignment), mean
    /// 0.026 and 0.013; earlier bundles reached 0.59. This demo model has 8–16 channels in its
    /// first stages, where rounding weighs most.
    /// </summary>
    private const double MaxScoreDelta = 0.8;

    private const double MeanScoreDelta = 0.1;

    [Fact]
    public async Task Int8_demo_bundle_scores_held_out_images_close_to_fp32()
    {
        var fp32 = await ScoreAsync(DemoBundle.Folder);
        var quantized = await ScoreAsync(int8.Bundle);

        var deltas = fp32.Zip(quantized, (a, b) => Math.Abs(a - b)).ToArray();
        log.WriteLine($"{deltas.Length} scores: max |int8 - fp32| {deltas.Max():F4}, mean {deltas.Average():F4}");
        Assert.True(deltas.Max() <= MaxScoreDelta, $"max |int8 - fp32| {deltas.Max():F4} > {MaxScoreDelta}");
        Assert.True(deltas.Average() <= MeanScoreDelta, $"mean |int8 - fp32| {deltas.Average():F4} > {MeanScoreDelta}");

        // Quantized weights always move the scores: no difference at all would mean the fp32 graph ran.
        Assert.True(deltas.Max() > 1e-4, "the int8 bundle gave exactly the fp32 scores");
    }

    [Fact]
    public void Int8_bundle_records_its_precision_and_calibration_and_keeps_the_fp32_interface()
    {
        var demo = BundleManifestSerializer.ReadFromFolder(DemoBundle.Folder);
        var image = int8.Manifest.Graphs.Image;

        Assert.Equal(BundlePrecision.Int8, image.Precision);
        Assert.Equal(int8.Calibration.Sha256, image.CalibrationSha256);
        Assert.Matches("^[0-9a-f]{64}$", image.CalibrationSha256!);
        Assert.Equal(demo.Graphs.Image.Inputs, image.Inputs);
        Assert.Equal(demo.Graphs.Image.Outputs, image.Outputs);
        Assert.Equal((demo.Graphs.Text.Sha256, demo.Graphs.Text.EffectivePrecision), (int8.Manifest.Graphs.Text.Sha256, int8.Manifest.Graphs.Text.EffectivePrecision));
        Assert.Null(demo.Graphs.Image.CalibrationSha256);

        // The manifest on disk says the same, and its hashes match the files.
        var written = BundleManifestSerializer.ReadFromFolder(int8.Bundle);
        Assert.Equal(BundlePrecision.Int8, written.Graphs.Image.EffectivePrecision);
        Assert.Equal(BundleWriter.Sha256Of(Path.Combine(int8.Bundle, image.File)), written.Graphs.Image.Sha256);

        var graph = OnnxModelReader.Read(Path.Combine(int8.Bundle, image.File));
        Assert.All(graph.Inputs.Concat(graph.Outputs), v => Assert.Equal(1, v.ElementType)); // float32
        Assert.Equal(demo.Graphs.Image.Outputs, graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Every_convolution_and_residual_add_fuses_to_integer_kernels_and_the_projections_to_integer_MatMuls_in_ONNX_Runtime()
    {
        var fp32 = OnnxModelReader.Read(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));
        var convolutions = fp32.Nodes.Count(n => n.OpType == "Conv");
        var residuals = fp32.Nodes.Count(n => n.OpType == "Add" && n.Name.StartsWith("resnet50.", StringComparison.Ordinal));
        var optimized = int8.Combine("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
        using (new InferenceSession(Path.Combine(int8.Bundle, BundleWriter.ImageGraphFile), options))
        {
        }

        var ops = OnnxModelReader.Read(optimized).Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        log.WriteLine(string.Join(", ", ops.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(convolutions > 0);
        Assert.Equal(convolutions, ops.GetValueOrDefault("QLinearConv"));
        Assert.False(ops.ContainsKey("Conv"), "a float Conv is left after ONNX Runtime's QDQ fusion");
        Assert.True(residuals > 0);
        Assert.Equal(residuals, ops.GetValueOrDefault("QLinearAdd"));
        Assert.Equal(Int8Quantization.ProjectionSuffixes.Count * 2, ops.GetValueOrDefault("MatMulIntegerToFloat")); // k and v of both pools
    }

    [Fact]
    public void Quantization_rewrites_each_conv_and_the_key_value_projections_and_nothing_else()
    {
        var source = OnnxGraphReader.ReadFile(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));
        var tensors = Int8Quantization.CalibrationTensors(source);
        var ranges = tensors.ToDictionary(t => t, _ => (-1f, 1f), StringComparer.Ordinal);

        var quantized = Int8Quantization.Quantize(source, ranges);

        var convolutions = source.Nodes.Count(n => n.OpType == "Conv");
        var weightDq = quantized.Nodes.Where(n => n.OpType == "DequantizeLinear" && quantized.Initializers.ContainsKey(n.Inputs[0])).ToArray();
        Assert.Equal((2 * convolutions) + 4, weightDq.Length); // weight and bias per conv, 4 projection weights
        Assert.Equal(4, weightDq.Count(n => Int8Quantization.ProjectionSuffixes.Any(s => n.Inputs[0].Contains(s, StringComparison.Ordinal))));
        Assert.Equal(source.Nodes.Count(n => n.OpType is "Softmax" or "Gemm" or "Tanh"), quantized.Nodes.Count(n => n.OpType is "Softmax" or "Gemm" or "Tanh"));
        Assert.DoesNotContain(quantized.Initializers, kv => kv.Key.EndsWith(".k_proj.weight", StringComparison.Ordinal));
        Assert.Equal(source.Outputs, quantized.Outputs);
        Assert.Equal(source.Inputs.Select(i => i.Name), quantized.Inputs.Select(i => i.Name));
        Assert.Contains(ImageGraphExporter.PixelsInput, tensors);
        Assert.DoesNotContain(tensors, t => t.StartsWith(ImageGraphExporter.TextFeaturesInput, StringComparison.Ordinal));
    }

    [Fact]
    public void A_tensor_without_a_calibration_range_is_refused_by_name()
    {
        var source = OnnxGraphReader.ReadFile(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));
        var tensors = Int8Quantization.CalibrationTensors(source);
        var ranges = tensors.Skip(1).ToDictionary(t => t, _ => (-1f, 1f), StringComparer.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => Int8Quantization.Quantize(source, ranges));

        Assert.Contains(tensors[0], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-2f, 6f, 8f / 255f, 64)]
    [InlineData(0f, 5.1f, 0.02f, 0)]
    [InlineData(0.5f, 2.55f, 0.01f, 0)] // widened to hold 0
    [InlineData(-2.55f, -1f, 0.01f, 255)]
    public void Activation_parameters_are_uint8_asymmetric_over_the_range_widened_to_zero(float min, float max, float scale, int zeroPoint)
    {
        var (actualScale, actualZero) = Int8Quantization.ActivationParameters("t", (min, max));

        Assert.Equal(scale, actualScale, 1e-6f);
        Assert.Equal(zeroPoint, actualZero);
    }

    [Fact]
    public void Graph_reader_reads_back_what_the_writer_wrote()
    {
        var path = Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile);
        var original = OnnxModelReader.Read(path);
        var rewritten = int8.Combine("roundtrip.onnx");

        OnnxModelWriter.WriteFile(OnnxGraphReader.ReadFile(path), rewritten);

        var copy = OnnxModelReader.Read(rewritten);
        Assert.Equal(original.Nodes.Select(Describe), copy.Nodes.Select(Describe));
        Assert.Equal(original.Inputs, copy.Inputs);
        Assert.Equal(original.Outputs, copy.Outputs);
        Assert.Equal(original.Initializers.Count, copy.Initializers.Count);
        foreach (var (a, b) in original.Initializers.Zip(copy.Initializers))
        {
            Assert.Equal((a.Name, a.DataType), (b.Name, b.DataType));
            Assert.Equal(a.Dims, b.Dims);
            Assert.True(a.RawData.AsSpan().SequenceEqual(b.RawData), $"initializer {a.Name} changed");
        }

        static string Describe(OnnxModelReader.Node n) =>
            $"{n.Name} {n.OpType} ({string.Join(",", n.Inputs)}) -> ({string.Join(",", n.Outputs)}) {string.Join(",", n.IntAttributes.Select(kv => $"{kv.Key}={kv.Value}"))}";
    }

    [Fact]
    public void Graph_reader_refuses_a_file_that_is_not_onnx()
    {
        var path = int8.Combine("not-a-model.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF]);

        var error = Assert.Throws<InvalidDataException>(() => OnnxGraphReader.ReadFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private async Task<float[]> ScoreAsync(string bundle)
    {
        await using var scorer = BundleScorer.Open(bundle, batchSize: 8, threads: 1);
        var pairs = int8.HeldOutImages.Select(i => (new IqaSample(i, "two red circles in the center, photo style", 0, null, "held-out"), "two red circles in the center, photo style"));
        var results = await scorer.ScoreAsync(pairs, TestContext.Current.CancellationToken);
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        return [.. results.SelectMany(r => new[] { (float)r.Scores!.Quality, (float)r.Scores.Alignment })];
    }
}
