using IpIqa.TestSupport;

namespace IpIqa.Model.Tests;

public sealed class IpIqaConfigTests
{
    [FixtureFact("ipiqa-reference/manifest.json")]
    public void ManifestConfig_LoadsFromItsConfigObject()
    {
        var config = IpIqaConfig.Load(Fixtures.PathOf("ipiqa-reference/manifest.json"));

        Assert.Equal(64, config.EmbedDim);
        Assert.Equal([1, 1, 1, 1], config.VisionLayers);
        Assert.Equal(320, config.InputResolution);
        Assert.Equal(4, config.TxtPoolHeads);
        Assert.Equal(224, config.ClipImageResolution);
        Assert.Equal(10, config.Grid);
    }

    [Fact]
    public void Rn50Default_HasPublishedDimensions()
    {
        var config = IpIqaConfig.Rn50;

        Assert.Equal([3, 4, 6, 3], config.VisionLayers);
        Assert.Equal((64, 512, 12, 8, 77, 49408, 1024, 32, 2), (config.VisionWidth, config.TransformerWidth, config.TransformerLayers, config.TransformerHeads, config.ContextLength, config.VocabSize, config.EmbedDim, config.TxtPoolHeads, config.OutputDim));
        Assert.Equal(2048, config.VisionFeatureDim);
    }

    [Fact]
    public void Json_RoundTripsWithSnakeCaseNames()
    {
        var config = IpIqaConfig.Rn50 with { Head = "mlp", TextFeature = "qa_token", Dropout = 0.1 };

        var json = config.ToJson();
        var back = IpIqaConfig.FromJson(json);

        Assert.Contains("\"txt_pool_heads\": 32", json, StringComparison.Ordinal);
        Assert.Equal(json, back.ToJson());
    }

    [Theory]
    [InlineData("""{ "input_resolution": 300 }""", "input_resolution = 300")]
    [InlineData("""{ "head": "deep" }""", "head = deep")]
    [InlineData("""{ "text_feature": "cls" }""", "text_feature = cls")]
    [InlineData("""{ "vision_layers": [3, 4, 6] }""", "vision_layers")]
    [InlineData("""{ "transformer_heads": 7 }""", "transformer_heads = 7")]
    [InlineData("""{ "embed_dim": "wide" }""", "$.embed_dim")]
    [InlineData("""{ "embed_dim": 1024, """, "not valid JSON")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    public void InvalidConfig_IsRejectedNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => IpIqaConfig.FromJson(json, "test.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.json", error.Message, StringComparison.Ordinal);
    }
}
