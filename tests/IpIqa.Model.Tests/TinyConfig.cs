namespace IpIqa.Model.Tests;

/// <summary>A model small enough to run many times in a test.</summary>
internal static class TinyConfig
{
    public static IpIqaConfig Create(string textFeature = IpIqaConfig.TextFeatureEot) => new()
    {
        EmbedDim = 16,
        VisionLayers = [1, 1, 1, 1],
        VisionWidth = 4,
        TransformerWidth = 16,
        TransformerHeads = 2,
        TransformerLayers = 1,
        InputResolution = 64,
        TxtPoolHeads = 2,
        ContextLength = 8,
        VocabSize = 50,
        TextFeature = textFeature,
    };
}
