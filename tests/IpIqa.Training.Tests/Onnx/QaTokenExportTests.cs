using IpIqa.TestSupport;
using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Tests.Onnx;

/// <summary>
/// <c>text_feature = qa_token</c>: the learnable [QA] embedding takes position min(argmax(ids), context_length - 2) (docs/model.md).
/// With [QA] set to the end-of-text token's own embedding the graph must reproduce the reference
/// text features; with any other [QA] it must not.
/// </summary>
public sealed class QaTokenExportTests
{
    private const long EndOfText = 49407;

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Qa_token_equal_to_the_eot_embedding_reproduces_the_reference_text_features()
    {
        var features = RunText(EotEmbedding());

        var (expected, _) = ReferenceModel.Instance.Tensor("text_features");
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

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Full_context_puts_the_qa_token_at_the_second_last_position()
    {
        // A prompt that fills the context: end-of-text at the last position. The rule puts [QA] at
        // context_length - 2, so with [QA] = the end-of-text embedding the feature equals the plain
        // model's on the same ids with end-of-text moved to context_length - 2.
        var reference = ReferenceModel.Instance;
        var length = reference.Architecture.ContextLength;
        var full = reference.TokenIds[0].TakeWhile(id => id != EndOfText).ToList();
        while (full.Count < length - 1)
        {
            full.Add(320);
        }

        full.Add(EndOfText);
        var moved = full.ToArray();
        (moved[length - 2], moved[length - 1]) = (EndOfText, 0);

        var qaFeatures = RunText(EotEmbedding(), [.. full], 1);
        var eotFeatures = RunText(null, moved, 1);

        FloatAssert.Close(eotFeatures, qaFeatures, 1e-5, "text_features of a full context");
    }

    private static TensorData EotEmbedding()
    {
        var arch = ReferenceModel.Instance.Architecture;
        var embedding = ReferenceModel.Instance.Weights.Require("wte.weight", arch.VocabSize, arch.TransformerWidth)
            .Floats.Slice((int)(EndOfText * arch.TransformerWidth), arch.TransformerWidth);
        return TensorData.FromFloats(embedding, arch.TransformerWidth);
    }

    private static float[] RunText(TensorData qaToken)
    {
        var n = ReferenceModel.Instance.SampleCount;
        return RunText(qaToken, ReferenceModel.Instance.TokenIdRows(0, n), n);
    }

    /// <summary>Exports and runs the text graph; a null <paramref name="qaToken"/> exports the plain end-of-text model.</summary>
    private static float[] RunText(TensorData? qaToken, long[] ids, int batch)
    {
        var reference = ReferenceModel.Instance;
        var tensors = new Dictionary<string, TensorData>(reference.Tensors);
        var arch = reference.Architecture;
        if (qaToken is not null)
        {
            tensors[TextGraphExporter.QaTokenKey] = qaToken;
            arch = arch with { TextFeature = "qa_token" };
        }

        using var folder = new TempDirectory();
        var path = folder.Combine("text.onnx");
        OnnxModelWriter.WriteFile(TextGraphExporter.Build(arch, new WeightSet(tensors, "qa")), path);

        using var runner = new OnnxGraphRunner(path);
        return runner.Run((TextGraphExporter.InputIdsInput, ids, [batch, arch.ContextLength]))[TextGraphExporter.TextFeaturesOutput];
    }
}
