using IpIqa.Core.Bundles;
using IpIqa.Model;

namespace IpIqa.Training;

/// <summary>
/// Converts between the training config and the bundle's architecture record. The bundle does not
/// carry training-only fields (dropout) or the CLIP source resolution; those take the given values.
/// </summary>
public static class ArchitectureConversion
{
    public static BundleArchitecture ToBundle(IpIqaConfig config) => new()
    {
        EmbedDim = config.EmbedDim,
        VisionLayers = [.. config.VisionLayers],
        VisionWidth = config.VisionWidth,
        TransformerWidth = config.TransformerWidth,
        TransformerHeads = config.TransformerHeads,
        TransformerLayers = config.TransformerLayers,
        InputResolution = config.InputResolution,
        TxtPoolHeads = config.TxtPoolHeads,
        ContextLength = config.ContextLength,
        VocabSize = config.VocabSize,
        OutputDim = config.OutputDim,
        Head = config.Head,
        TextFeature = config.TextFeature,
    };

    public static IpIqaConfig FromBundle(BundleArchitecture architecture, int clipImageResolution = 224, double dropout = 0)
    {
        if (architecture.Family != "ipiqa")
        {
            throw new InvalidDataException($"bundle architecture family = {architecture.Family}; only 'ipiqa' is supported.");
        }

        return new IpIqaConfig
        {
            EmbedDim = architecture.EmbedDim,
            VisionLayers = [.. architecture.VisionLayers],
            VisionWidth = architecture.VisionWidth,
            TransformerWidth = architecture.TransformerWidth,
            TransformerHeads = architecture.TransformerHeads,
            TransformerLayers = architecture.TransformerLayers,
            InputResolution = architecture.InputResolution,
            ClipImageResolution = clipImageResolution,
            TxtPoolHeads = architecture.TxtPoolHeads,
            ContextLength = architecture.ContextLength,
            VocabSize = architecture.VocabSize,
            OutputDim = architecture.OutputDim,
            Head = architecture.Head,
            Dropout = dropout,
            TextFeature = architecture.TextFeature,
        }.Validate("bundle architecture");
    }
}
