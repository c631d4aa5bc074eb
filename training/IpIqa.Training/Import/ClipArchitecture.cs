using System.Globalization;
using IpIqa.Model;

namespace IpIqa.Training.Import;

/// <summary>
/// The dimensions of an OpenAI CLIP ResNet, read from its state dict the way CLIP's <c>build_model</c> does:
/// block counts from the <c>visual.layerN.M</c> keys, widths from tensor shapes. <see cref="Mismatches"/> names
/// the config fields that differ, so a checkpoint of another CLIP (RN101, RN50x4, ...) gets an error that
/// says which config fits instead of a list of unexpected keys.
/// </summary>
public sealed record ClipArchitecture(IReadOnlyList<int> VisionLayers, int VisionWidth, int EmbedDim, int TransformerWidth, int TransformerLayers, int ImageResolution)
{
    /// <summary>OpenAI's released CLIP ResNets, and the config of this repository that fits each (null: none shipped).</summary>
    private static readonly (string Name, ClipArchitecture Architecture, string? Config)[] Released =
    [
        ("RN50", new([3, 4, 6, 3], 64, 1024, 512, 12, 224), "configs/agiqa3k/model.json"),
        ("RN101", new([3, 4, 23, 3], 64, 512, 512, 12, 224), "configs/agiqa3k/model-rn101.json"),
        ("RN50x4", new([4, 6, 10, 6], 80, 640, 640, 12, 288), "configs/agiqa3k/model-rn50x4.json"),
        ("RN50x16", new([6, 8, 18, 8], 96, 768, 768, 12, 384), null),
        ("RN50x64", new([3, 15, 36, 10], 128, 1024, 1024, 12, 448), null),
    ];

    /// <summary>CLIP's rule: 64-wide attention heads in the text transformer.</summary>
    public int TransformerHeads => Math.Max(TransformerWidth / 64, 1);

    /// <summary>The name of the released CLIP with these dimensions (RN50, RN101, RN50x4, ...), or null.</summary>
    public string? Name => Released.FirstOrDefault(r => r.Architecture.Same(this)).Name;

    /// <summary>The dimensions of a CLIP ResNet state dict (key -> shape), or null when a key it needs is absent.</summary>
    public static ClipArchitecture? Detect(IReadOnlyDictionary<string, long[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        int[] layers = [.. Enumerable.Range(1, 4).Select(b => Blocks(shapes.Keys, $"visual.layer{b}."))];
        var transformerLayers = Blocks(shapes.Keys, "transformer.resblocks.");
        if (layers.Any(n => n == 0) || transformerLayers == 0
            || !shapes.TryGetValue("visual.layer1.0.conv1.weight", out var conv) || conv.Length < 1
            || !shapes.TryGetValue("text_projection", out var projection) || projection.Length != 2
            || !shapes.TryGetValue("visual.attnpool.positional_embedding", out var positions) || positions.Length != 2)
        {
            return null;
        }

        var grid = (int)Math.Round(Math.Sqrt(positions[0] - 1));
        return new ClipArchitecture(layers, (int)conv[0], (int)projection[1], (int)projection[0], transformerLayers, grid * 32);
    }

    /// <summary>"field: config X, checkpoint Y" for every field of <paramref name="config"/> that does not fit these weights.</summary>
    public IReadOnlyList<string> Mismatches(IpIqaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var mismatches = new List<string>();
        void Check(string field, object configured, object actual)
        {
            if (!Equals(configured, actual))
            {
                mismatches.Add($"{field}: config {configured}, checkpoint {actual}");
            }
        }

        Check("vision_layers", Format(config.VisionLayers), Format(VisionLayers));
        Check("vision_width", config.VisionWidth, VisionWidth);
        Check("embed_dim", config.EmbedDim, EmbedDim);
        Check("transformer_width", config.TransformerWidth, TransformerWidth);
        Check("transformer_layers", config.TransformerLayers, TransformerLayers);
        Check("clip_image_resolution", config.ClipImageResolution, ImageResolution);
        return mismatches;
    }

    /// <summary><paramref name="config"/> with these dimensions (txt_pool_heads as the CLIP attention pool's heads).</summary>
    public IpIqaConfig Fit(IpIqaConfig config) => config with
    {
        VisionLayers = VisionLayers,
        VisionWidth = VisionWidth,
        EmbedDim = EmbedDim,
        TransformerWidth = TransformerWidth,
        TransformerHeads = TransformerHeads,
        TransformerLayers = TransformerLayers,
        ClipImageResolution = ImageResolution,
        TxtPoolHeads = VisionWidth * 32 / 64,
    };

    /// <summary>The error for weights that do not fit <paramref name="config"/>: what they are, what differs, and the config that fits.</summary>
    public string Describe(string source, IpIqaConfig config)
    {
        var fit = Fit(config);
        var name = Name is { } n ? $"CLIP {n}" : "a CLIP ResNet that is not one of OpenAI's released models";
        var shipped = Released.FirstOrDefault(r => r.Architecture.Same(this)).Config;
        var use = shipped is not null ? $"Use --config {shipped}, or set these fields in your config:" : "Set these fields in your config:";
        return string.Create(CultureInfo.InvariantCulture, $"""
            {source} is {name}, which does not fit the config:
              {string.Join("\n  ", Mismatches(config))}
            {use}
              "vision_layers": {Format(fit.VisionLayers)}, "vision_width": {fit.VisionWidth}, "embed_dim": {fit.EmbedDim},
              "transformer_width": {fit.TransformerWidth}, "transformer_heads": {fit.TransformerHeads}, "transformer_layers": {fit.TransformerLayers},
              "clip_image_resolution": {fit.ClipImageResolution}, "txt_pool_heads": {fit.TxtPoolHeads}
            """);
    }

    private bool Same(ClipArchitecture other) =>
        VisionLayers.SequenceEqual(other.VisionLayers) && VisionWidth == other.VisionWidth && EmbedDim == other.EmbedDim
        && TransformerWidth == other.TransformerWidth && TransformerLayers == other.TransformerLayers && ImageResolution == other.ImageResolution;

    private static int Blocks(IEnumerable<string> keys, string prefix) =>
        keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Count();

    private static string Format(IReadOnlyList<int> values) => $"[{string.Join(", ", values)}]";
}
