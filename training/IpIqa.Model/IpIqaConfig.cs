using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpIqa.Model;

/// <summary>
/// The architecture of an IP-IQA model as data. Field names are the official config's (snake_case),
/// so a JSON config, the reference manifest's <c>config</c> object and a bundle describe a model the
/// same way. <see cref="Rn50"/> is the published model.
/// </summary>
public sealed record IpIqaConfig
{
    public const string HeadLinear = "linear";
    public const string HeadMlp = "mlp";
    public const string TextFeatureEot = "eot";
    public const string TextFeatureQaToken = "qa_token";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Width of the CLIP joint embedding (image and text features).</summary>
    [JsonPropertyName("embed_dim")] public int EmbedDim { get; init; } = 1024;

    /// <summary>Bottleneck blocks in layer1..layer4.</summary>
    [JsonPropertyName("vision_layers")] public IReadOnlyList<int> VisionLayers { get; init; } = [3, 4, 6, 3];

    /// <summary>Stem width of the ModifiedResNet; the feature map has <c>vision_width * 32</c> channels.</summary>
    [JsonPropertyName("vision_width")] public int VisionWidth { get; init; } = 64;

    [JsonPropertyName("transformer_width")] public int TransformerWidth { get; init; } = 512;
    [JsonPropertyName("transformer_heads")] public int TransformerHeads { get; init; } = 8;
    [JsonPropertyName("transformer_layers")] public int TransformerLayers { get; init; } = 12;

    /// <summary>Side of the square input image in pixels; a multiple of 32.</summary>
    [JsonPropertyName("input_resolution")] public int InputResolution { get; init; } = 512;

    /// <summary>Resolution the CLIP weights were trained at (their attention-pool grid is this / 32).</summary>
    [JsonPropertyName("clip_image_resolution")] public int ClipImageResolution { get; init; } = 224;

    /// <summary>Heads of the text-queried attention pool (<c>txt_attnpool</c>).</summary>
    [JsonPropertyName("txt_pool_heads")] public int TxtPoolHeads { get; init; } = 32;

    [JsonPropertyName("context_length")] public int ContextLength { get; init; } = 77;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 49408;

    /// <summary>Number of predicted scores (quality, alignment).</summary>
    [JsonPropertyName("output_dim")] public int OutputDim { get; init; } = 2;

    /// <summary><c>linear</c> (one Linear) or <c>mlp</c> (dense, tanh, out_proj).</summary>
    [JsonPropertyName("head")] public string Head { get; init; } = HeadLinear;

    /// <summary>Dropout of the MLP head (training only).</summary>
    [JsonPropertyName("dropout")] public double Dropout { get; init; }

    /// <summary><c>eot</c> (the public code) or <c>qa_token</c>; see docs/model.md.</summary>
    [JsonPropertyName("text_feature")] public string TextFeature { get; init; } = TextFeatureEot;

    /// <summary>The published IP-IQA model: CLIP RN50 at 512 px.</summary>
    public static IpIqaConfig Rn50 { get; } = new();

    /// <summary>Channels of the ResNet feature map (the attention pools' embedding width).</summary>
    [JsonIgnore] public int VisionFeatureDim => VisionWidth * 32;

    /// <summary>Heads of the CLIP attention pool, as CLIP derives them.</summary>
    [JsonIgnore] public int VisionHeads => VisionWidth * 32 / 64;

    /// <summary>Side of the feature-map grid (input / 32).</summary>
    [JsonIgnore] public int Grid => InputResolution / 32;

    /// <summary>Reads a config from JSON. A document with a <c>config</c> object (the reference manifest) is read from there.</summary>
    public static IpIqaConfig FromJson(string json, string source = "config")
    {
        JsonNodeCheck(json, source, out var element);
        IpIqaConfig? config;
        try
        {
            config = element.Deserialize<IpIqaConfig>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid config at {e.Path}: {e.Message}", e);
        }

        if (config is null)
        {
            throw new InvalidDataException($"{source}: the config is null.");
        }

        config.Validate(source);
        return config;
    }

    public static IpIqaConfig Load(string path) => FromJson(File.ReadAllText(path), path);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the first field that is out of range.</summary>
    public IpIqaConfig Validate(string source = "config")
    {
        Require(EmbedDim > 0, "embed_dim", EmbedDim, "must be positive");
        Require(VisionLayers.Count == 4 && VisionLayers.All(n => n > 0), "vision_layers", $"[{string.Join(", ", VisionLayers)}]", "must be four positive block counts");
        Require(VisionWidth > 0 && VisionWidth % 2 == 0, "vision_width", VisionWidth, "must be positive and even");
        Require(TransformerWidth > 0, "transformer_width", TransformerWidth, "must be positive");
        Require(TransformerHeads > 0 && TransformerWidth % TransformerHeads == 0, "transformer_heads", TransformerHeads, $"must divide transformer_width {TransformerWidth}");
        Require(TransformerLayers > 0, "transformer_layers", TransformerLayers, "must be positive");
        Require(InputResolution >= 32 && InputResolution % 32 == 0, "input_resolution", InputResolution, "must be a positive multiple of 32");
        Require(ClipImageResolution >= 32 && ClipImageResolution % 32 == 0, "clip_image_resolution", ClipImageResolution, "must be a positive multiple of 32");
        Require(TxtPoolHeads > 0 && VisionFeatureDim % TxtPoolHeads == 0, "txt_pool_heads", TxtPoolHeads, $"must divide vision_width * 32 = {VisionFeatureDim}");
        Require(VisionFeatureDim % 64 == 0, "vision_width", VisionWidth, "times 32 must be a multiple of 64 (CLIP's attention-pool head width)");
        Require(ContextLength >= 2, "context_length", ContextLength, "must be at least 2");
        Require(VocabSize > 0, "vocab_size", VocabSize, "must be positive");
        Require(OutputDim > 0, "output_dim", OutputDim, "must be positive");
        Require(Head is HeadLinear or HeadMlp, "head", Head, $"must be '{HeadLinear}' or '{HeadMlp}'");
        Require(Dropout is >= 0 and < 1, "dropout", Dropout, "must be in [0, 1)");
        Require(TextFeature is TextFeatureEot or TextFeatureQaToken, "text_feature", TextFeature, $"must be '{TextFeatureEot}' or '{TextFeatureQaToken}'");
        return this;

        void Require(bool ok, string field, object value, string rule)
        {
            if (!ok)
            {
                throw new InvalidDataException($"{source}: {field} = {value} {rule}.");
            }
        }
    }

    private static void JsonNodeCheck(string json, string source, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: expected a JSON object, found {root.ValueKind}.");
            }

            element = (root.TryGetProperty("config", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root).Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }
}
