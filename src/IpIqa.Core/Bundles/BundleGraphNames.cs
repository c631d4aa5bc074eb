namespace IpIqa.Core.Bundles;

/// <summary>Input and output names of the bundle graphs (see <see cref="BundleGraphs"/>).</summary>
public static class BundleGraphNames
{
    /// <summary>Text graph input: int64 [N, context_length].</summary>
    public const string InputIds = "input_ids";

    /// <summary>Text graph output and image graph input: float32 [N, embed_dim].</summary>
    public const string TextFeatures = "text_features";

    /// <summary>Image graph input: float32 [N, 3, S, S].</summary>
    public const string Pixels = "pixels";

    /// <summary>Image graph output: float32 [N, output_dim].</summary>
    public const string Scores = "scores";

    /// <summary>
    /// Optional image graph output: float32 [N, grid, grid], the prompt-queried attention pool's weights
    /// over the feature map, averaged over heads. Bundles exported before it existed lack it; the
    /// image graph's <c>outputs</c> in <c>bundle.json</c> say whether a bundle has it.
    /// </summary>
    public const string Attention = "attention";

    /// <summary>
    /// Prefix of the image features: optional image graph outputs <c>image_feature_0</c>, <c>image_feature_1</c>, ...,
    /// the values the prompt-dependent part of the graph reads from the prompt-independent part, and the inputs of
    /// the same names of the optional head graph (<see cref="BundleGraphs.Head"/>). Float32, the batch axis first.
    /// </summary>
    public const string ImageFeaturePrefix = "image_feature_";

    public static IReadOnlyList<string> TextInputs { get; } = [InputIds];

    public static IReadOnlyList<string> TextOutputs { get; } = [TextFeatures];

    public static IReadOnlyList<string> ImageInputs { get; } = [Pixels, TextFeatures];

    public static IReadOnlyList<string> ImageOutputs { get; } = [Scores];

    /// <summary>The head graph's outputs every such graph has (it may also have <see cref="Attention"/>).</summary>
    public static IReadOnlyList<string> HeadOutputs { get; } = [Scores];

    /// <summary>Whether <paramref name="name"/> is one of the image features (<see cref="ImageFeaturePrefix"/>).</summary>
    public static bool IsImageFeature(string name) => name.StartsWith(ImageFeaturePrefix, StringComparison.Ordinal);
}
