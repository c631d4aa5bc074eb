using IpIqa.Training.Onnx;
using IpIqa.Training.Tests.Support;

namespace IpIqa.Training.Tests.Onnx;

public sealed class ArchitectureValidationTests
{
    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Resolution_that_does_not_match_the_positional_embedding_fails_naming_both_shapes()
    {
        var arch = ReferenceModel.Instance.Architecture with { InputResolution = 224 };

        var error = Assert.Throws<InvalidDataException>(() => ImageGraphExporter.Build(arch, ReferenceModel.Instance.Weights));

        Assert.Contains("'attnpool.positional_embedding' has shape [101, 256]; the architecture needs [50, 256]", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Linear_head_over_mlp_weights_fails_naming_the_missing_key()
    {
        var arch = ReferenceModel.Instance.Architecture with { Head = "linear" };

        var error = Assert.Throws<InvalidDataException>(() => ImageGraphExporter.Build(arch, ReferenceModel.Instance.Weights));

        Assert.Contains("'head.weight' is missing", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Wider_transformer_than_the_weights_fails_naming_the_first_mismatching_weight()
    {
        var arch = ReferenceModel.Instance.Architecture with { TransformerWidth = 64 };

        var error = Assert.Throws<InvalidDataException>(() => TextGraphExporter.Build(arch, ReferenceModel.Instance.Weights));

        Assert.Contains("'wte.weight' has shape [49408, 32]; the architecture needs [49408, 64]", error.Message, StringComparison.Ordinal);
    }

    [FixtureTheory(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    [InlineData("input_resolution", 300)]
    [InlineData("txt_pool_heads", 3)]
    [InlineData("transformer_heads", 5)]
    [InlineData("vision_width", 7)]
    public void Inconsistent_dimension_fails_naming_it(string field, int value)
    {
        var arch = field switch
        {
            "input_resolution" => ReferenceModel.Instance.Architecture with { InputResolution = value },
            "txt_pool_heads" => ReferenceModel.Instance.Architecture with { TxtPoolHeads = value },
            "transformer_heads" => ReferenceModel.Instance.Architecture with { TransformerHeads = value },
            _ => ReferenceModel.Instance.Architecture with { VisionWidth = value },
        };

        var error = Assert.Throws<InvalidDataException>(() => ImageGraphExporter.Build(arch, ReferenceModel.Instance.Weights));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceModel.Safetensors, ReferenceModel.Manifest)]
    public void Unknown_head_and_text_feature_fail_naming_the_value()
    {
        var head = Assert.Throws<InvalidDataException>(() =>
            ImageGraphExporter.Build(ReferenceModel.Instance.Architecture with { Head = "gru" }, ReferenceModel.Instance.Weights));
        var text = Assert.Throws<InvalidDataException>(() =>
            TextGraphExporter.Build(ReferenceModel.Instance.Architecture with { TextFeature = "cls" }, ReferenceModel.Instance.Weights));

        Assert.Contains("head is 'gru'", head.Message, StringComparison.Ordinal);
        Assert.Contains("text_feature is 'cls'", text.Message, StringComparison.Ordinal);
    }
}
