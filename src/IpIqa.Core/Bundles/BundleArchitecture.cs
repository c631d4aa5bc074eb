using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// Model dimensions. Field names are the official config's (snake_case), so a training config
/// and a bundle describe a model the same way.
/// </summary>
public sealed record BundleArchitecture
{
    /// <summary>Model family, <c>ipiqa</c> (CLIP ModifiedResNet + text transformer).</summary>
    [JsonPropertyName("family")] public string Family { get; init; } = "ipiqa";
    [JsonPropertyName("embed_dim")] public int EmbedDim { get; init; }
    [JsonPropertyName("vision_layers")] public IReadOnlyList<int> VisionLayers { get; init; } = [];
    [JsonPropertyName("vision_width")] public int VisionWidth { get; init; }
    [JsonPropertyName("transformer_width")] public int TransformerWidth { get; init; }
    [JsonPropertyName("transformer_heads")] public int TransformerHeads { get; init; }
    [JsonPropertyName("transformer_layers")] public int TransformerLayers { get; init; }
    [JsonPropertyName("input_resolution")] public int InputResolution { get; init; }
    [JsonPropertyName("txt_pool_heads")] public int TxtPoolHeads { get; init; }
    [JsonPropertyName("context_length")] public int ContextLength { get; init; } = 77;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 49408;
    [JsonPropertyName("output_dim")] public int OutputDim { get; init; } = 2;

    /// <summary><c>linear</c> or <c>mlp</c>.</summary>
    [JsonPropertyName("head")] public string Head { get; init; } = "linear";

    /// <summary>
    /// How the text feature is read: <c>eot</c> (the public code: the end-of-text position, with a
    /// trainable token-embedding table) or <c>qa_token</c> (an explicit learnable [QA] embedding
    /// inserted into the prompt, whose output is the text feature).
    /// </summary>
    [JsonPropertyName("text_feature")] public string TextFeature { get; init; } = "eot";
}
