using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using Xunit.Abstractions;

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

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Graphs_declare_the_bundle_input_and_output_names()
    {
        using var text = new OnnxGraphRunner(bundle.PathOf(BundleWriter.TextGraphFile));
        using var image = new OnnxGraphRunner(bundle.PathOf(BundleWriter.ImageGraphFile));

        Assert.Equal([TextGraphExporter.InputIdsInput], text.InputNames);
        Assert.Equal([TextGraphExporter.TextFeaturesOutput], text.OutputNames);
        Assert.Equal([ImageGraphExporter.PixelsInput, ImageGraphExporter.TextFeaturesInput], image.InputNames);
        Assert.Equal([ImageGraphExporter.ScoresOutput, ImageGraphExporter.VisualPooledOutput, ImageGraphExporter.TextPooledOutput], image.OutputNames);
        Assert.Equal(bundle.Manifest.Graphs.Image.Outputs, image.OutputNames);
    }
}
