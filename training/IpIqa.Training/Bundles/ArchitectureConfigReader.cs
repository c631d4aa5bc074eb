using System.Text.Json;
using System.Text.Json.Nodes;
using IpIqa.Core.Bundles;
using IpIqa.Training.Onnx;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Bundles;

/// <summary>
/// Reads a model config (the official snake_case fields of <see cref="BundleArchitecture"/>), either
/// as the top-level object or under a <c>config</c> property. When <c>head</c> or
/// <c>text_feature</c> is absent it is taken from the weights: <c>head.dense.weight</c> means an MLP
/// head, a <c>qa_token</c> tensor means the [QA] text feature.
/// </summary>
public static class ArchitectureConfigReader
{
    public static BundleArchitecture Read(string path, WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Config file '{path}' does not exist.");
        }

        JsonObject config;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            config = (root?["config"] ?? root) as JsonObject
                ?? throw new InvalidDataException($"{path}: expected a JSON object (or one with a 'config' object).");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }

        config = (JsonObject)config.DeepClone();
        if (!config.ContainsKey("head"))
        {
            config["head"] = weights.Contains("head.dense.weight") ? "mlp" : "linear";
        }

        if (!config.ContainsKey("text_feature"))
        {
            config["text_feature"] = weights.Contains(TextGraphExporter.QaTokenKey) ? "qa_token" : "eot";
        }

        BundleArchitecture? arch;
        try
        {
            arch = config.Deserialize<BundleArchitecture>();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: a config field has the wrong type ({ex.Path}): {ex.Message}", ex);
        }

        return arch ?? throw new InvalidDataException($"{path}: the config is empty.");
    }
}
