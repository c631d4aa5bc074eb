using IpIqa.Training.Bundles;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>The exported files pass the reference ONNX checker, with full shape inference, in fp32 and fp16.</summary>
public sealed class OnnxCheckerTests(ReferenceBundleFixture bundle, Fp16ReferenceBundleFixture fp16)
    : IClassFixture<ReferenceBundleFixture>, IClassFixture<Fp16ReferenceBundleFixture>
{
    private const string CheckScript = """
        import sys, onnx
        for path in sys.argv[1:]:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
            assert model.opset_import[0].version == 17, model.opset_import
            print(path, "ir", model.ir_version, "nodes", len(model.graph.node))
        """;

    /// <summary>Also counts the initializers by ONNX data type and prints the graph's interface types.</summary>
    private const string Fp16Script = """
        import collections, sys, onnx
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        types = collections.Counter(onnx.TensorProto.DataType.Name(t.data_type) for t in model.graph.initializer)
        print("initializers", " ".join(f"{k}={v}" for k, v in sorted(types.items())))
        for v in list(model.graph.input) + list(model.graph.output):
            print("io", v.name, onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type))
        """;

    [PythonOnnxFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Exported_graphs_pass_onnx_checker()
    {
        var (exitCode, output) = PythonOnnx.Run(
            PythonOnnx.Interpreter!,
            CheckScript,
            bundle.PathOf(BundleWriter.TextGraphFile),
            bundle.PathOf(BundleWriter.ImageGraphFile));

        Assert.True(exitCode == 0, $"onnx.checker failed:\n{output}");
        Assert.Contains("ir 8", output, StringComparison.Ordinal);
    }

    [PythonOnnxFact(ReferenceModel.Safetensors, ReferenceModel.Manifest, ReferenceModel.Vocab)]
    public void Fp16_image_graph_passes_onnx_checker_with_float16_weights_and_a_float32_interface()
    {
        var (exitCode, output) = PythonOnnx.Run(PythonOnnx.Interpreter!, Fp16Script, fp16.PathOf(BundleWriter.ImageGraphFile));

        Assert.True(exitCode == 0, $"onnx.checker failed on the fp16 graph:\n{output}");
        var initializers = output.Split('\n').Single(l => l.StartsWith("initializers ", StringComparison.Ordinal));
        Assert.Contains("FLOAT16=", initializers, StringComparison.Ordinal);
        Assert.DoesNotContain("FLOAT=", initializers, StringComparison.Ordinal);
        var io = output.Split('\n').Where(l => l.StartsWith("io ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, io.Length); // pixels, text_features -> scores, visual_pooled, text_pooled, attention
        Assert.All(io, line => Assert.EndsWith(" FLOAT", line, StringComparison.Ordinal));
    }
}
