using IpIqa.TestSupport;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>Small hand-checked graphs: the writer's output loads in ONNX Runtime and computes what the maths says.</summary>
public sealed class GraphBuilderTests
{
    [Fact]
    public void Conv_with_folded_batch_norm_equals_conv_then_batch_norm()
    {
        // 1×1 conv, 2 → 3 channels, on a 1×2×2×2 input; eval BatchNorm with non-trivial statistics.
        float[] w = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f];
        float[] gamma = [1.5f, -0.5f, 2f], beta = [0.1f, 0.2f, -0.3f], mean = [0.4f, -1f, 0.25f], variance = [0.5f, 2f, 0.1f];
        float[] x = [1f, 2f, -1f, 0.5f, 3f, -2f, 0.25f, 1f];
        var weights = new WeightSet(
            new Dictionary<string, TensorData>
            {
                ["conv.weight"] = TensorData.FromFloats(w, 3, 2, 1, 1),
                ["bn.weight"] = TensorData.FromFloats(gamma, 3),
                ["bn.bias"] = TensorData.FromFloats(beta, 3),
                ["bn.running_mean"] = TensorData.FromFloats(mean, 3),
                ["bn.running_var"] = TensorData.FromFloats(variance, 3),
            },
            "test");
        var g = new GraphBuilder("conv_bn");
        var input = g.Input("x", TensorElementType.Float32, "N", 2, 2, 2);
        var (fw, fb) = BatchNormFolding.Fold(weights, "conv", "bn", 3, 2, 1);
        g.Output(g.Conv(input, g.Initializer("w", fw), g.Initializer("b", fb), 1), "y", TensorElementType.Float32, "N", 3, 2, 2);

        var actual = Run(g, ("x", x, [1, 2, 2, 2]))["y"];

        var expected = new float[12];
        for (var o = 0; o < 3; o++)
        {
            for (var p = 0; p < 4; p++)
            {
                var conv = (w[o * 2] * x[p]) + (w[(o * 2) + 1] * x[4 + p]);
                expected[(o * 4) + p] = ((conv - mean[o]) / MathF.Sqrt(variance[o] + 1e-5f) * gamma[o]) + beta[o];
            }
        }

        FloatAssert.Close(expected, actual, 1e-5, "conv+bn");
    }

    [Fact]
    public void Attention_with_one_query_is_a_softmax_weighted_sum_of_the_values()
    {
        // One head, width 2; query [1, 0], keys k_j, values v_j: out = Σ softmax(q·k/√2)_j v_j.
        float[] q = [1f, 0f];
        float[] kv = [1f, 2f, -1f, 0.5f, 3f, -1f];
        var g = new GraphBuilder("attention");
        var query = g.Input("q", TensorElementType.Float32, "N", 1, 2);
        var keys = g.Input("kv", TensorElementType.Float32, "N", 3, 2);
        g.Output(AttentionGraph.MultiHead(g, query, keys, keys, width: 2, heads: 1), "out", TensorElementType.Float32, "N", 1, 2);

        var actual = Run(g, ("q", q, [1, 1, 2]), ("kv", kv, [1, 3, 2]))["out"];

        var logits = Enumerable.Range(0, 3).Select(j => ((q[0] * kv[j * 2]) + (q[1] * kv[(j * 2) + 1])) / MathF.Sqrt(2)).ToArray();
        var weights = logits.Select(MathF.Exp).ToArray();
        var sum = weights.Sum();
        float[] expected =
        [
            Enumerable.Range(0, 3).Sum(j => weights[j] / sum * kv[j * 2]),
            Enumerable.Range(0, 3).Sum(j => weights[j] / sum * kv[(j * 2) + 1]),
        ];
        FloatAssert.Close(expected, actual, 1e-5, "attention");
    }

    [Fact]
    public void Adding_one_initializer_name_with_different_data_is_refused()
    {
        var g = new GraphBuilder("dup");
        g.Initializer("w", TensorData.FromFloats([1f], 1));

        var error = Assert.Throws<InvalidOperationException>(() => g.Initializer("w", TensorData.FromFloats([2f], 1)));

        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
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
