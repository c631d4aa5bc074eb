using IpIqa.TestSupport;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>The float16 rewrite on small graphs: rounding, casts at the edges, fp32 islands, and what it refuses.</summary>
public sealed class Float16ConversionTests
{
    [Theory]
    [InlineData(1f + (1f / 2048), 1f)] // halfway between 1 and the next float16 (odd mantissa): ties to even, down
    [InlineData(1f + (3f / 2048), 1f + (4f / 2048))] // halfway between two neighbours: ties to even, up
    [InlineData(1f + (1f / 2048) + (1f / (1 << 20)), 1f + (2f / 2048))] // just above halfway: up
    [InlineData(65519f, 65504f)] // the largest value that still rounds to float16's maximum
    [InlineData(-2e-8f, -0f)] // below half the smallest subnormal (5.96e-8): flushes to a signed zero
    [InlineData(1e-7f, 1.1920929e-7f)] // a subnormal: 2 × 2^-24
    public void ToFloat16_rounds_each_value_to_the_nearest_float16_with_ties_to_even(float value, float expected)
    {
        var half = TensorData.FromFloats([value], 1).ToFloat16("t");

        Assert.Equal(TensorElementType.Float16, half.ElementType);
        Assert.Equal(2, half.ByteCount);
        Assert.Equal(BitConverter.HalfToUInt16Bits((Half)expected), BitConverter.HalfToUInt16Bits(half.Halves[0]));
    }

    [Theory]
    [InlineData(65520f)]
    [InlineData(-1e6f)]
    public void ToFloat16_refuses_a_finite_value_beyond_the_float16_range_naming_the_tensor(float value)
    {
        var tensor = TensorData.FromFloats([0.5f, value], 2);

        var error = Assert.Throws<InvalidDataException>(() => tensor.ToFloat16("initializer 'head.weight'"));

        Assert.Contains("initializer 'head.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("65504", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infinities_and_nan_stay_what_they_are()
    {
        var half = TensorData.FromFloats([float.NegativeInfinity, float.NaN], 2).ToFloat16("mask");

        Assert.True(Half.IsNegativeInfinity(half.Halves[0]));
        Assert.True(Half.IsNaN(half.Halves[1]));
    }

    [Fact]
    public void Converted_graph_computes_the_float32_graph_within_float16_rounding_behind_a_float32_interface()
    {
        // x [N, 3, 4] → Linear(4 → 4) → Softmax → ReduceMean(axis 1) → Reshape [N, 4] → Tanh.
        float[] w = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f, 0.1f, 0.3f, 1.1f, -0.2f, 0.7f, -1.3f, 0.05f, 0.9f, -0.6f, 0.4f];
        float[] b = [0.1f, -0.2f, 0.3f, 0.01f];
        float[] x = [1f, 2f, -1f, 0.5f, 3f, -2f, 0.25f, 1f, -0.5f, 0.75f, 1.25f, -1.5f];
        var g = new GraphBuilder("small");
        var input = g.Input("x", TensorElementType.Float32, "N", 3, 4);
        var h = g.Linear(input, g.Initializer("w", TensorData.FromFloats(w, 4, 4)), g.Initializer("b", TensorData.FromFloats(b, 4)));
        h = g.Tanh(g.Reshape(g.ReduceMean(g.Softmax(h), 1), 0, -1));
        g.Output(h, "y", TensorElementType.Float32, "N", 4);

        var converted = Float16Conversion.Convert(g);

        Assert.Equal(TensorElementType.Float16, converted.Initializers["w"].ElementType);
        Assert.Equal(TensorElementType.Int64, Assert.Single(converted.Initializers, i => i.Key.StartsWith("const_i64", StringComparison.Ordinal)).Value.ElementType);
        Assert.Equal(g.Inputs.Select(i => (i.Name, i.ElementType)), converted.Inputs.Select(i => (i.Name, i.ElementType)));
        Assert.Equal(g.Outputs.Select(o => (o.Name, o.ElementType)), converted.Outputs.Select(o => (o.Name, o.ElementType)));
        Assert.Equal(6, converted.Nodes.Count(n => n.OpType == "Cast")); // in, out, and two around each island
        Assert.Equal(g.Nodes.Count + 6, converted.Nodes.Count);
        var expected = Run(g, ("x", x, [1, 3, 4]))["y"];
        var actual = Run(converted, ("x", x, [1, 3, 4]))["y"];
        var diff = FloatAssert.Close(expected, actual, 2e-3, "converted vs float32");
        Assert.True(diff > 0, "float16 rounding should show");
    }

    [Fact]
    public void Source_graph_is_left_as_it_was()
    {
        var g = new GraphBuilder("small");
        var input = g.Input("x", TensorElementType.Float32, "N", 2);
        g.Output(g.Mul(input, g.Scalar(0.1f)), "y", TensorElementType.Float32, "N", 2);
        var nodes = g.Nodes.ToArray();

        Float16Conversion.Convert(g);

        Assert.Equal(nodes, g.Nodes);
        Assert.All(g.Initializers.Values, t => Assert.Equal(TensorElementType.Float32, t.ElementType));
    }

    [Fact]
    public void Graph_with_an_op_of_fixed_output_type_is_refused_naming_the_node()
    {
        var g = new GraphBuilder("ids");
        var input = g.Input("x", TensorElementType.Float32, "N", 4);
        g.Output(g.ArgMax(input, axis: -1, keepDims: false), "i", TensorElementType.Int64, "N");

        var error = Assert.Throws<NotSupportedException>(() => Float16Conversion.Convert(g));

        Assert.Contains("ArgMax_0", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ids'", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, float[]> Run(GraphBuilder g, params (string Name, Array Values, long[] Shape)[] inputs)
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("g.onnx");
        OnnxModelWriter.WriteFile(g, path);
        using var runner = new OnnxGraphRunner(path);
        return runner.Run(inputs);
    }
}
