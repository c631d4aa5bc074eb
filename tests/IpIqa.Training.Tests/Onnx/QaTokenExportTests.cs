using IpIqa.TestSupport;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// <c>text_feature = qa_token</c>: the learnable [QA] embedding takes the end-of-text position.
/// With [QA] set to the end-of-text token's own embedding the graph must reproduce the reference
/// text features; with any other [QA] it must not.
/// </summary>
public sealed class QaTokenExportTests
{
    private const long EndOfText = 49407;

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Qa_token_equal_to_the_eot_embedding_reproduces_the_reference_text_features()
    {
        var reference = ReferenceModel.Instance;
        var width = reference.Architecture.TransformerWidth;
        var eotEmbedding = reference.Weights.Require("wte.weight", reference.Architecture.VocabSize, width)
            .Floats.Slice((int)(EndOfText * width), width);

        var features = RunText(TensorData.FromFloats(eotEmbedding, width));

        var (expected, _) = reference.Tensor("text_features");
        FloatAssert.Close(expected, features, 1e-4, "text_features (qa_token = eot embedding)");
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void A_different_qa_token_changes_the_text_features()
    {
        var width = ReferenceModel.Instance.Architecture.TransformerWidth;
        var qa = Enumerable.Range(0, width).Select(i => MathF.Sin(i + 1f)).ToArray();

        var features = RunText(TensorData.FromFloats(qa, width));

        var (expected, _) = ReferenceModel.Instance.Tensor("text_features");
        var maxDiff = expected.Zip(features, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDiff > 1e-2, $"qa_token had no visible effect (max |diff| {maxDiff}).");
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Qa_token_architecture_without_the_weight_fails_naming_it()
    {
        var arch = ReferenceModel.Instance.Architecture with { TextFeature = "qa_token" };

        var error = Assert.Throws<InvalidDataException>(() => TextGraphExporter.Build(arch, ReferenceModel.Instance.Weights));

        Assert.Contains("'qa_token' is missing", error.Message, StringComparison.Ordinal);
    }

    private static float[] RunText(TensorData qaToken)
    {
        var reference = ReferenceModel.Instance;
        var tensors = new Dictionary<string, TensorData>(reference.Tensors) { [TextGraphExporter.QaTokenKey] = qaToken };
        var arch = reference.Architecture with { TextFeature = "qa_token" };
        using var folder = new TempDirectory();
        var path = folder.Combine("text.onnx");
        OnnxModelWriter.WriteFile(TextGraphExporter.Build(arch, new WeightSet(tensors, "qa")), path);

        using var runner = new OnnxGraphRunner(path);
        var n = reference.SampleCount;
        return runner.Run((TextGraphExporter.InputIdsInput, reference.TokenIdRows(0, n), [n, arch.ContextLength]))[TextGraphExporter.TextFeaturesOutput];
    }
}
