using IpIqa.Training.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// The attention pools' key/value projections in the int8 rewrite (#16): int8 weights with one scale per
/// output column, or left in float32 with <c>floatProjections</c>.
/// </summary>
public sealed class Int8ProjectionTests
{
    private static readonly GraphBuilder Source = OnnxGraphReader.ReadFile(Path.Combine(DemoBundle.Folder, BundleWriter.ImageGraphFile));

    [Fact]
    public void Projection_weights_get_one_scale_per_output_column_that_fits_that_column()
    {
        var quantized = Quantize(floatProjections: false);

        var projections = quantized.Nodes.Where(n => n.OpType == "DequantizeLinear" && IsProjection(n.Inputs[0])).ToArray();
        Assert.Equal(4, projections.Length); // k and v of both pools
        foreach (var dq in projections)
        {
            var weightName = dq.Inputs[0][..dq.Inputs[0].LastIndexOf(':')];
            var weight = Source.Initializers[weightName]; // [out, in]
            int rows = (int)weight.Shape[0], columns = (int)weight.Shape[1];
            var levels = quantized.Initializers[dq.Inputs[0]];
            var scales = quantized.Initializers[dq.Inputs[1]].Floats.ToArray();

            Assert.Equal(1, dq.Attributes.Single(a => a.Name == "axis").Int);
            Assert.Equal([columns, rows], levels.Shape); // the [in, out] MatMul operand
            Assert.Equal(rows, scales.Length);
            Assert.Equal([rows], quantized.Initializers[dq.Inputs[2]].Shape);
            var values = weight.Floats;
            var bytes = levels.Bytes;
            for (var r = 0; r < rows; r++)
            {
                var row = values.Slice(r * columns, columns);
                var largest = 0f;
                foreach (var v in row)
                {
                    largest = Math.Max(largest, Math.Abs(v));
                }

                Assert.Equal(largest / 127f, scales[r], 1e-9f);
                for (var c = 0; c < columns; c++)
                {
                    var restored = (sbyte)bytes[(c * rows) + r] * scales[r];
                    Assert.True(Math.Abs(restored - row[c]) <= (scales[r] / 2) + 1e-7f, $"{weightName}[{r}, {c}] {row[c]} came back as {restored}");
                }
            }

            Assert.True(scales.Max() > scales.Min(), $"{weightName}: every column got the same scale");
        }
    }

    [Fact]
    public void Float_projections_leave_the_projection_weights_and_their_inputs_in_float32()
    {
        var tensors = Int8Quantization.CalibrationTensors(Source, floatProjections: true);
        var quantized = Quantize(floatProjections: true);

        Assert.DoesNotContain(quantized.Nodes, n => n.OpType == "DequantizeLinear" && IsProjection(n.Inputs[0]));
        Assert.Equal(4, quantized.Initializers.Keys.Count(k => Int8Quantization.ProjectionSuffixes.Any(s => k.EndsWith(s, StringComparison.Ordinal))));
        Assert.Equal(Source.Nodes.Count(n => n.OpType is "MatMul" or "Transpose"), quantized.Nodes.Count(n => n.OpType is "MatMul" or "Transpose"));
        Assert.True(tensors.Count < Int8Quantization.CalibrationTensors(Source).Count, "the projections' inputs still need a range");
        Assert.Equal(Source.Nodes.Count(n => n.OpType == "Conv"), quantized.Nodes.Count(n => n.OpType == "Conv"));
        Assert.Equal(2 * Source.Nodes.Count(n => n.OpType == "Conv"), quantized.Nodes.Count(n => n.OpType == "DequantizeLinear" && quantized.Initializers.ContainsKey(n.Inputs[0])));
    }

    private static GraphBuilder Quantize(bool floatProjections)
    {
        var ranges = Int8Quantization.CalibrationTensors(Source, floatProjections: floatProjections).ToDictionary(t => t, _ => (-1f, 1f), StringComparer.Ordinal);
        return Int8Quantization.Quantize(Source, ranges, floatProjections: floatProjections);
    }

    private static bool IsProjection(string tensor) =>
        Int8Quantization.ProjectionSuffixes.Any(s => tensor.Contains(s, StringComparison.Ordinal));
}
