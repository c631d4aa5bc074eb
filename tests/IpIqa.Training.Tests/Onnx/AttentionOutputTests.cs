using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// The image graph's <c>attention</c> output (the text-queried pool's weights on the feature map,
/// averaged over heads) matches the official module's weights on the fixture model within 1e-4,
/// in fp32; the fp16 graph stays close; the manifest lists the output; the grid follows the resolution.
/// </summary>
public sealed class AttentionOutputTests(ReferenceBundleFixture fp32, Fp16ReferenceBundleFixture fp16, ITestOutputHelper log)
    : IClassFixture<ReferenceBundleFixture>, IClassFixture<Fp16ReferenceBundleFixture>
{
    /// <summary>Made by bench/python/attention_reference.py from the official TextAttentionPool2d.</summary>
    internal const string AttentionFixture = "ipiqa-reference/attention.json";

    private const double Tolerance = 1e-4;

    /// <summary>|fp16 − fp32| allowed on a weight (the map's values lie near 1/grid² = 0.01).</summary>
    private const double Fp16Tolerance = 5e-4;

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab, AttentionFixture)]
    [InlineData(0, 6)]
    [InlineData(4, 1)]
    public void Attention_output_matches_the_official_modules_weights(int start, int count)
    {
        var (expected, shape) = ReadFixture();
        var actual = RunImageGraph(fp32, start, count);

        Assert.Equal([count, shape[1], shape[2]], actual.Shape);
        var diff = FloatAssert.Close(ReferenceModel.Rows(expected, shape, start, count), actual.Values, Tolerance, "attention");
        log.WriteLine($"attention {shape[1]}x{shape[2]}: max |diff| {diff:E2}");
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab, AttentionFixture)]
    public void Fp16_image_graph_gives_an_attention_map_close_to_fp32()
    {
        var (expected, shape) = ReadFixture();
        var actual = RunImageGraph(fp16, 0, (int)shape[0]);

        var diff = FloatAssert.Close(expected, actual.Values, Fp16Tolerance, "attention fp16 vs reference");
        log.WriteLine($"attention fp16: max |diff| {diff:E2}");
        Assert.True(diff > 0, "the fp16 graph gave exactly the reference values");
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Manifest_lists_the_attention_output_of_both_precisions()
    {
        Assert.Contains(BundleGraphNames.Attention, fp32.Manifest.Graphs.Image.Outputs);
        Assert.Contains(BundleGraphNames.Attention, fp16.Manifest.Graphs.Image.Outputs);
        Assert.True(fp32.Manifest.Graphs.Image.HasOutput(BundleGraphNames.Attention));
    }

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    [InlineData(224, 7)]
    [InlineData(512, 16)]
    public void Attention_output_is_grid_by_grid_at_the_input_resolution(int resolution, int grid)
    {
        var arch = ReferenceModel.Instance.Architecture with { InputResolution = resolution, Head = "linear" };
        var g = ImageGraphExporter.Build(arch, WeightSet.FromFloatArrays(SyntheticWeights.Create(arch, seed: 3), "synthetic"));

        var output = Assert.Single(g.Outputs, o => o.Name == ImageGraphExporter.AttentionOutput);
        Assert.Equal([OnnxDim.Named("N"), OnnxDim.Of(grid), OnnxDim.Of(grid)], output.Dims);
    }

    private static (float[] Values, long[] Shape) ReadFixture()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(AttentionFixture)));
        var shape = json.RootElement.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var values = json.RootElement.GetProperty("attention").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.LongLength);
        return (values, shape);
    }

    private static (float[] Values, long[] Shape) RunImageGraph(ReferenceBundleFixture bundle, int start, int count) =>
        RunImageGraph(bundle.PathOf(BundleWriter.ImageGraphFile), start, count);

    private static (float[] Values, long[] Shape) RunImageGraph(Fp16ReferenceBundleFixture bundle, int start, int count) =>
        RunImageGraph(bundle.PathOf(BundleWriter.ImageGraphFile), start, count);

    private static (float[] Values, long[] Shape) RunImageGraph(string path, int start, int count)
    {
        var reference = ReferenceModel.Instance;
        var (pixels, pixelShape) = reference.Tensor("pixels");
        var (textFeatures, textShape) = reference.Tensor("text_features");
        using var image = new OnnxGraphRunner(path);
        var outputs = image.Run(
            (ImageGraphExporter.PixelsInput, ReferenceModel.Rows(pixels, pixelShape, start, count), [count, .. pixelShape[1..]]),
            (ImageGraphExporter.TextFeaturesInput, ReferenceModel.Rows(textFeatures, textShape, start, count), [count, textShape[1]]));
        var grid = reference.Architecture.InputResolution / 32;
        return (outputs[ImageGraphExporter.AttentionOutput], [count, grid, grid]);
    }
}
