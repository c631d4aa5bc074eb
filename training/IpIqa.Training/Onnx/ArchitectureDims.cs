using IpIqa.Core.Bundles;

namespace IpIqa.Training.Onnx;

/// <summary>Dimensions derived from a <see cref="BundleArchitecture"/>, after checking it describes a buildable IP-IQA model.</summary>
internal sealed record ArchitectureDims(int FeatureWidth, int VisionHeads, int Grid, int EmbedDim)
{
    /// <summary>Spatial tokens of the attention pools plus the mean token.</summary>
    public long Tokens => ((long)Grid * Grid) + 1;

    /// <exception cref="InvalidDataException">A dimension is missing or inconsistent; the message names it.</exception>
    public static ArchitectureDims From(BundleArchitecture arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        Check(arch.Family == "ipiqa", $"family is '{arch.Family}'; only 'ipiqa' can be exported");
        Check(arch.VisionLayers.Count == 4 && arch.VisionLayers.All(n => n > 0), $"vision_layers must be 4 positive block counts, got [{string.Join(", ", arch.VisionLayers)}]");
        Check(arch.VisionWidth > 0 && arch.VisionWidth % 2 == 0, $"vision_width must be positive and even, got {arch.VisionWidth}");
        Check(arch.EmbedDim > 0, $"embed_dim must be positive, got {arch.EmbedDim}");
        Check(arch.InputResolution > 0 && arch.InputResolution % 32 == 0, $"input_resolution must be a positive multiple of 32, got {arch.InputResolution}");
        Check(arch.TransformerWidth > 0 && arch.TransformerHeads > 0 && arch.TransformerWidth % arch.TransformerHeads == 0,
            $"transformer_width ({arch.TransformerWidth}) must be a positive multiple of transformer_heads ({arch.TransformerHeads})");
        Check(arch.TransformerLayers > 0, $"transformer_layers must be positive, got {arch.TransformerLayers}");
        Check(arch.ContextLength > 0 && arch.VocabSize > 0, $"context_length ({arch.ContextLength}) and vocab_size ({arch.VocabSize}) must be positive");
        Check(arch.OutputDim > 0, $"output_dim must be positive, got {arch.OutputDim}");
        Check(arch.Head is "linear" or "mlp", $"head is '{arch.Head}'; expected 'linear' or 'mlp'");
        Check(arch.TextFeature is "eot" or "qa_token", $"text_feature is '{arch.TextFeature}'; expected 'eot' or 'qa_token'");

        var featureWidth = arch.VisionWidth * 32;
        Check(arch.TxtPoolHeads > 0 && featureWidth % arch.TxtPoolHeads == 0,
            $"txt_pool_heads ({arch.TxtPoolHeads}) must divide the ResNet feature width 32·vision_width ({featureWidth})");
        return new ArchitectureDims(featureWidth, featureWidth / 64, arch.InputResolution / 32, arch.EmbedDim);
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Invalid architecture: {problem}.");
        }
    }
}
