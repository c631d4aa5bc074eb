using System.Text.Json.Serialization;

namespace IpIqa.Core.Bundles;

/// <summary>
/// The ONNX graphs of a bundle. The text side is separate so that text features can be
/// cached per prompt.
/// <list type="bullet">
/// <item><c>text</c>: input <c>input_ids</c> int64 [N, context_length] → output <c>text_features</c> float32 [N, embed_dim].</item>
/// <item><c>image</c>: inputs <c>pixels</c> float32 [N, 3, S, S] and <c>text_features</c> float32 [N, embed_dim] →
/// output <c>scores</c> float32 [N, output_dim] (plus the intermediates <c>visual_pooled</c> and <c>text_pooled</c>).</item>
/// <item><c>head</c> (optional): the image graph's prompt-dependent part alone: inputs <c>text_features</c> and the
/// image features <c>image_feature_*</c> that the image graph also outputs → <c>scores</c> (and <c>attention</c>). Scoring
/// one image against several prompts runs the image graph once and the head once per prompt (per-word attribution).</item>
/// </list>
/// The batch axis is dynamic in all.
/// </summary>
public sealed record BundleGraphs
{
    [JsonPropertyName("text")] public required BundleGraph Text { get; init; }
    [JsonPropertyName("image")] public required BundleGraph Image { get; init; }

    /// <summary>The optional head graph; null in bundles exported before it existed, which explain words with the whole image graph.</summary>
    [JsonPropertyName("head")] public BundleGraph? Head { get; init; }
}
