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

    public static JsonObject Of(OutputMetrics m) => new()
    {
        ["srcc"] = m.Srcc,
        ["plcc"] = m.Plcc,
        ["krcc"] = m.Krcc,
        ["n"] = m.N,
    };
}
