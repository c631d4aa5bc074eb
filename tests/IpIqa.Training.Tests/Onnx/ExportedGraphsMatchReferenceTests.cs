using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// The exported text and image graphs, run with ONNX Runtime, reproduce the official implementation's
/// outputs on the reference model (absolute tolerance 1e-4), for the whole batch and one sample at a time.
/// </summary>
public sealed class ExportedGraphsMatchReferenceTests(ReferenceBundleFixture bundle, ITestOutputHelper log) : IClassFixture<ReferenceBundleFixture>
{
    private const double Tolerance = 1e-4;

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    [InlineData(0, 6)]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 1)]
    [InlineData(2, 3)]
    public void Text_and_image_graphs_match_reference_outputs(int start, int count)
    {
        var reference = ReferenceModel.Instance;
        var contextLength = reference.Architecture.ContextLength;
        var (pixels, pixelShape) = reference.Tensor("pixels");
        var (textExpected, textShape) = reference.Tensor("text_features");

        using var text = new OnnxGraphRunner(bundle.PathOf(BundleWriter.TextGraphFile));
        var textOut = text.Run((TextGraphExporter.InputIdsInput, reference.TokenIdRows(start, count), [count, contextLength]));
        var textFeatures = textOut[TextGraphExporter.TextFeaturesOutput];
        var textDiff = FloatAssert.Close(ReferenceModel.Rows(textExpected, textShape, start, count), textFeatures, Tolerance, "text_features");
        log.WriteLine($"text_features: max |diff| {textDiff:E2}");

        using var image = new OnnxGraphRunner(bundle.PathOf(BundleWriter.ImageGraphFile));
        var imageOut = image.Run(
            (ImageGraphExporter.PixelsInput, ReferenceModel.Rows(pixels, pixelShape, start, count), [count, .. pixelShape[1..]]),
            (ImageGraphExporter.TextFeaturesInput, textFeatures, [count, textShape[1]]));

        foreach (var output in new[] { ImageGraphExporter.VisualPooledOutput, ImageGraphExporter.TextPooledOutput, ImageGraphExporter.ScoresOutput })
        {
            var (expected, shape) = reference.Tensor(output);
            var diff = FloatAssert.Close(ReferenceModel.Rows(expected, shape, start, count), imageOut[output], Tolerance, output);
            log.WriteLine($"{output}: max |diff| {diff:E2}");
        }
    }

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Text_graph_gives_the_reference_features_for_ids_cut_after_end_of_text(int extra)
    {
        var reference = ReferenceModel.Instance;
        var contextLength = reference.Architecture.ContextLength;
        var (expected, shape) = reference.Tensor("text_features");
        var count = (int)shape[0];
        var full = reference.TokenIdRows(0, count);
        var endOfText = Enumerable.Range(0, count).Max(row => EndOfText(full.AsSpan(row * contextLength, contextLength)));
        var length = Math.Min(endOfText + 1 + extra, contextLength);
        Assert.True(length < contextLength, $"the reference prompts fill the context ({length} of {contextLength} ids)");
        var cut = Enumerable.Range(0, count).SelectMany(row => full.Skip(row * contextLength).Take(length)).ToArray();

        using var text = new OnnxGraphRunner(bundle.PathOf(BundleWriter.TextGraphFile));
        var features = text.Run((TextGraphExporter.InputIdsInput, cut, [count, length]))[TextGraphExporter.TextFeaturesOutput];

        var diff = FloatAssert.Close(ReferenceModel.Rows(expected, shape, 0, count), features, Tolerance, "text_features");
        log.WriteLine($"{length} of {contextLength} ids: max |diff| {diff:E2}");
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Graphs_declare_the_bundle_input_and_output_names()
    {
        using var text = new OnnxGraphRunner(bundle.PathOf(BundleWriter.TextGraphFile));
        using var image = new OnnxGraphRunner(bundle.PathOf(BundleWriter.ImageGraphFile));

        Assert.Equal([TextGraphExporter.InputIdsInput], text.InputNames);
        Assert.Equal([TextGraphExporter.TextFeaturesOutput], text.OutputNames);
        Assert.Equal([ImageGraphExporter.PixelsInput, ImageGraphExporter.TextFeaturesInput], image.InputNames);
        Assert.Equal(
            [ImageGraphExporter.ScoresOutput, ImageGraphExporter.VisualPooledOutput, ImageGraphExporter.TextPooledOutput, ImageGraphExporter.AttentionOutput, "image_feature_0", "image_feature_1", "image_feature_2"],
            image.OutputNames);
        Assert.Equal(bundle.Manifest.Graphs.Image.Outputs, image.OutputNames);
    }

    private static int EndOfText(ReadOnlySpan<long> ids)
    {
        var best = 0;
        for (var i = 1; i < ids.Length; i++)
        {
            best = ids[i] > ids[best] ? i : best;
        }

        return best;
    }
}
