using IpIqa.Core.Bundles;
using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using GraphElementType = IpIqa.Training.Weights.TensorElementType;
using OrtElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// <c>--precision fp16</c>: the reference model's fp16 image graph, run by ONNX Runtime's CPU provider,
/// scores the fixture images close to the fp32 graph and the official outputs; it stores float16
/// weights, keeps a float32 interface, leaves the text graph alone, and the manifest says what it is.
/// </summary>
public sealed class Fp16ExportTests(ReferenceBundleFixture fp32, Fp16ReferenceBundleFixture fp16, ITestOutputHelper log)
    : IClassFixture<ReferenceBundleFixture>, IClassFixture<Fp16ReferenceBundleFixture>
{
    /// <summary>
    /// Largest |fp16 − fp32| allowed on a score (scores of this model lie within ±0.5). Measured with
    /// ONNX Runtime 1.31's CPU provider: 2.3e-4; a full float16 forward pass of the same model
    /// (TorchSharp, every activation float16, closer to what CUDA does) is off by 8.4e-4 (docs/export.md).
    /// </summary>
    private const double ScoreTolerance = 2e-3;

    /// <summary>The same for <c>visual_pooled</c> and <c>text_pooled</c> (|values| ≤ 1.1): measured 8.4e-4 on the CPU, 1.2e-3 in full float16.</summary>
    private const double PooledTolerance = 5e-3;

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    [InlineData(0, 6)]
    [InlineData(2, 1)]
    public void Fp16_image_graph_scores_the_fixture_images_close_to_fp32_and_the_reference(int start, int count)
    {
        var reference = ReferenceModel.Instance;
        var (pixels, pixelShape) = reference.Tensor("pixels");
        var (textFeatures, textShape) = reference.Tensor("text_features");
        (string, Array, long[])[] inputs =
        [
            (ImageGraphExporter.PixelsInput, ReferenceModel.Rows(pixels, pixelShape, start, count), [count, .. pixelShape[1..]]),
            (ImageGraphExporter.TextFeaturesInput, ReferenceModel.Rows(textFeatures, textShape, start, count), [count, textShape[1]]),
        ];

        using var full = new OnnxGraphRunner(fp32.PathOf(BundleWriter.ImageGraphFile));
        using var half = new OnnxGraphRunner(fp16.PathOf(BundleWriter.ImageGraphFile));
        var expected = full.Run(inputs);
        var actual = half.Run(inputs);

        foreach (var output in new[] { ImageGraphExporter.ScoresOutput, ImageGraphExporter.VisualPooledOutput, ImageGraphExporter.TextPooledOutput })
        {
            var tolerance = output == ImageGraphExporter.ScoresOutput ? ScoreTolerance : PooledTolerance;
            var (official, shape) = reference.Tensor(output);
            var vsFp32 = FloatAssert.Close(expected[output], actual[output], tolerance, $"{output} fp16 vs fp32");
            var vsReference = FloatAssert.Close(ReferenceModel.Rows(official, shape, start, count), actual[output], tolerance, $"{output} fp16 vs reference");
            log.WriteLine($"{output}: max |fp16 - fp32| {vsFp32:E2}, max |fp16 - reference| {vsReference:E2}");

            // Rounded weights always move the outputs a little: no difference at all would mean the fp32 graph ran.
            Assert.True(vsFp32 > 0, $"{output}: the fp16 graph gave exactly the fp32 values");
        }
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp16_image_graph_stores_every_float_initializer_as_float16_rounded_to_nearest()
    {
        var half = OnnxModelReader.Read(fp16.PathOf(BundleWriter.ImageGraphFile));
        var full = OnnxModelReader.Read(fp32.PathOf(BundleWriter.ImageGraphFile)).Initializers.ToDictionary(i => i.Name);

        Assert.DoesNotContain(half.Initializers, i => i.DataType == (int)GraphElementType.Float32);
        Assert.Equal(full.Keys.Order(StringComparer.Ordinal), half.Initializers.Select(i => i.Name).Order(StringComparer.Ordinal));
        foreach (var initializer in half.Initializers.Where(i => i.DataType == (int)GraphElementType.Float16))
        {
            var source = full[initializer.Name];
            Assert.Equal(source.Dims, initializer.Dims);
            var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(source.RawData).ToArray().Select(v => (Half)v).ToArray();
            Assert.Equal(expected, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(initializer.RawData).ToArray());
        }

        // Weights are nearly all of the file: half the bytes, plus the graph's nodes and names.
        var fp16Bytes = new FileInfo(fp16.PathOf(BundleWriter.ImageGraphFile)).Length;
        var fp32Bytes = new FileInfo(fp32.PathOf(BundleWriter.ImageGraphFile)).Length;
        log.WriteLine($"image.onnx: fp32 {fp32Bytes} bytes, fp16 {fp16Bytes} bytes ({(double)fp16Bytes / fp32Bytes:P1})");
        Assert.InRange((double)fp16Bytes / fp32Bytes, 0.45, 0.55);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp16_image_graph_keeps_float32_inputs_and_outputs_and_casts_at_the_edges()
    {
        using var session = new InferenceSession(fp16.PathOf(BundleWriter.ImageGraphFile));
        Assert.All(session.InputMetadata.Values.Concat(session.OutputMetadata.Values), m => Assert.Equal(OrtElementType.Float, m.ElementDataType));

        var graph = OnnxModelReader.Read(fp16.PathOf(BundleWriter.ImageGraphFile));
        var producers = graph.Nodes.SelectMany(n => n.Outputs.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node);
        foreach (var input in new[] { ImageGraphExporter.PixelsInput, ImageGraphExporter.TextFeaturesInput })
        {
            var consumers = graph.Nodes.Where(n => n.Inputs.Contains(input)).ToArray();
            var cast = Assert.Single(consumers);
            Assert.Equal(("Cast", 10L), (cast.OpType, cast.IntAttributes["to"]));
        }

        foreach (var output in graph.Outputs)
        {
            var cast = producers[output.Name];
            Assert.Equal(("Cast", 1L), (cast.OpType, cast.IntAttributes["to"]));
        }

        // The fp32 islands: each Softmax and ReduceMean reads a Cast to float and feeds a Cast back to float16.
        var islands = graph.Nodes.Where(n => Float16Conversion.Float32Islands.Contains(n.OpType)).ToArray();
        Assert.Equal(4, islands.Length); // the mean token's ReduceMean, one Softmax per attention pool, the attention map's mean over heads
        foreach (var node in islands)
        {
            Assert.Equal(("Cast", 1L), (producers[node.Inputs[0]].OpType, producers[node.Inputs[0]].IntAttributes["to"]));
            var next = Assert.Single(graph.Nodes, n => n.Inputs.Contains(node.Outputs[0]));
            Assert.Equal(("Cast", 10L), (next.OpType, next.IntAttributes["to"]));
        }
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp16_bundle_records_the_precision_of_each_graph_and_keeps_the_text_graph_fp32()
    {
        var manifest = BundleManifestSerializer.ReadFromFolder(fp16.Folder);
        var json = File.ReadAllText(fp16.PathOf(BundleManifest.FileName));

        Assert.Equal(BundlePrecision.Fp16, manifest.Graphs.Image.Precision);
        Assert.Equal(BundlePrecision.Fp32, manifest.Graphs.Text.Precision);
        Assert.Contains("\"precision\": \"fp16\"", json, StringComparison.Ordinal);
        Assert.Equal(BundlePrecision.Fp32, fp32.Manifest.Graphs.Image.Precision);

        // Same text graph bytes; a different image graph, and so a different model hash.
        Assert.Equal(fp32.Manifest.Graphs.Text.Sha256, manifest.Graphs.Text.Sha256);
        Assert.NotEqual(fp32.Manifest.Graphs.Image.Sha256, manifest.Graphs.Image.Sha256);
        Assert.NotEqual(ModelIdentity.FromManifest(fp32.Manifest).Hash, ModelIdentity.FromManifest(manifest).Hash);
        Assert.Equal(BundleWriter.Sha256Of(fp16.PathOf(BundleWriter.ImageGraphFile)), manifest.Graphs.Image.Sha256);
    }
}
