using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Quantization;
using IpIqa.TestSupport;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>The int8 rewrite's choices (#16): convolutions kept in float32 by prefix, and percentile ranges.</summary>
public sealed class Int8SettingsTests
{
    private const string Stem = "resnet50.stem";

    [Fact]
    public void Convolutions_named_by_a_keep_float_prefix_stay_float32_and_need_no_range()
    {
        var source = OnnxGraphReader.ReadFile(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));
        var stem = source.Nodes.Where(n => n.OpType == "Conv" && n.Name.StartsWith(Stem, StringComparison.Ordinal)).ToArray();
        var convolutions = source.Nodes.Count(n => n.OpType == "Conv");
        var tensors = Int8Quantization.CalibrationTensors(source, [Stem]);
        var ranges = tensors.ToDictionary(t => t, _ => (-1f, 1f), StringComparer.Ordinal);

        var quantized = Int8Quantization.Quantize(source, ranges, [Stem]);

        Assert.NotEmpty(stem);
        Assert.True(tensors.Count < Int8Quantization.CalibrationTensors(source).Count);
        foreach (var conv in stem)
        {
            var kept = Assert.Single(quantized.Nodes, n => n.Name == conv.Name);
            Assert.Equal(conv.Inputs.Skip(1), kept.Inputs.Skip(1)); // the float32 weight and bias, not dequantized copies
            Assert.True(quantized.Initializers.ContainsKey(conv.Inputs[1]));
        }

        var weightDq = quantized.Nodes.Count(n => n.OpType == "DequantizeLinear" && quantized.Initializers.ContainsKey(n.Inputs[0]));
        Assert.Equal((2 * (convolutions - stem.Length)) + 4, weightDq);
    }

    [Fact]
    public void A_percentile_range_clips_rare_outliers_that_MinMax_keeps()
    {
        // 1,000,000 values spread over [0, 1000) and 10 outliers near 4096: a range [0, 4096) in 4096 bins.
        var counts = new long[ActivationHistogram.Bins];
        Array.Fill(counts, 1000, 0, 1000);
        counts[^1] = 10;
        var histogram = new ActivationHistogram(0f, 4096f);
        histogram.Set(counts, zeros: 0);

        Assert.Equal((0f, 1000f), histogram.Percentile(0.9999));
        Assert.Equal((0f, 4096f), histogram.Percentile(1.0));
    }
}
