using IpIqa.Training.Bundles;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>The exported files pass the reference ONNX checker, with full shape inference.</summary>
public sealed class OnnxCheckerTests(ReferenceBundleFixture bundle) : IClassFixture<ReferenceBundleFixture>
{
    private const string CheckScript = """
        import sys, onnx
        for path in sys.argv[1:]:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
            assert model.opset_import[0].version == 17, model.opset_import
            print(path, "ir", model.ir_version, "nodes", len(model.graph.node))
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
}
