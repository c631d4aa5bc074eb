namespace IpIqa.Training.Import;

/// <summary>
/// Maps OpenAI CLIP state-dict names to IP-IQA names, the way the official model takes its parts
/// from a loaded CLIP: <c>visual.attnpool.*</c> -> <c>attnpool.*</c>, <c>visual.*</c> ->
/// <c>resnet50.*</c>, <c>transformer.*</c> -> <c>txt_model.*</c>, <c>token_embedding.weight</c> ->
/// <c>wte.weight</c>, <c>positional_embedding</c> -> <c>txt_pos</c>; <c>ln_final.*</c> and
/// <c>text_projection</c> keep their names; <c>logit_scale</c> and the CLIP-only context keys are dropped.
/// </summary>
public static class ClipKeyMap
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "logit_scale", "input_resolution", "context_length", "vocab_size" };

    /// <summary>The IP-IQA name, null for a key IP-IQA does not use. Throws for a key no CLIP ResNet has.</summary>
    public static string? ToIpIqa(string clipKey)
    {
        if (Dropped.Contains(clipKey))
        {
            return null;
        }

        if (clipKey.StartsWith("visual.transformer.", StringComparison.Ordinal) || clipKey is "visual.class_embedding" or "visual.proj")
        {
            throw new CheckpointException($"{clipKey}: a CLIP ViT key. IP-IQA is built on a CLIP ResNet (ModifiedResNet) image tower.");
        }

        return clipKey switch
        {
            "token_embedding.weight" => "wte.weight",
            "positional_embedding" => "txt_pos",
            "text_projection" => "text_projection",
            _ when clipKey.StartsWith("visual.attnpool.", StringComparison.Ordinal) => clipKey["visual.".Length..],
            _ when clipKey.StartsWith("visual.", StringComparison.Ordinal) => "resnet50." + clipKey["visual.".Length..],
            _ when clipKey.StartsWith("transformer.", StringComparison.Ordinal) => "txt_model." + clipKey["transformer.".Length..],
            _ when clipKey.StartsWith("ln_final.", StringComparison.Ordinal) => clipKey,
            _ => throw new CheckpointException($"{clipKey}: not an OpenAI CLIP state-dict key."),
        };
    }

    /// <summary>Whether a state dict uses CLIP names (rather than IP-IQA names).</summary>
    public static bool IsClipStateDict(IEnumerable<string> keys) =>
        keys.Any(k => k.StartsWith("visual.", StringComparison.Ordinal) || k == "token_embedding.weight");
}
