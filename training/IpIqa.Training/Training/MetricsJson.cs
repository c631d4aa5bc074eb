using System.Text.Json;
using System.Text.Json.Nodes;

namespace IpIqa.Training.Training;

/// <summary>The metrics document <c>{"quality": {"srcc","plcc","krcc","n"}, "alignment": {...}}</c> written by evaluate and finetune.</summary>
public static class MetricsJson
{
    public static JsonObject Of(Predictions predictions)
    {
        var root = new JsonObject();
        for (var output = 0; output < predictions.Outputs; output++)
        {
            root[Predictions.OutputNames[output]] = Of(predictions.Metrics(output));
        }

        return root;
    }

    /// <summary>
    /// Reads a metrics document and flattens its numbers to dotted keys (<c>quality.srcc</c>,
    /// <c>prompt_swap.share_matching_higher</c>), the shape of a bundle's <c>provenance.metrics</c>.
    /// </summary>
    public static Dictionary<string, double> Flatten(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        var flat = new Dictionary<string, double>(StringComparer.Ordinal);
        Walk(root as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object of metrics."), string.Empty);
        return flat;

        void Walk(JsonObject node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                if (value is JsonObject child)
                {
                    Walk(child, prefix + key + ".");
                }
                else if (value is JsonValue leaf && leaf.GetValueKind() == JsonValueKind.Number)
                {
                    flat[prefix + key] = leaf.GetValue<double>();
                }
            }
        }
    }

    public static JsonObject Of(OutputMetrics m) => new()
    {
        ["srcc"] = m.Srcc,
        ["plcc"] = m.Plcc,
        ["krcc"] = m.Krcc,
        ["n"] = m.N,
    };
}
