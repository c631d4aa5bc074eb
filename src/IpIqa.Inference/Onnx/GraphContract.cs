using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Inference.Onnx;

/// <summary>Checks that a loaded graph has the inputs and outputs the bundle contract names.</summary>
internal static class GraphContract
{
    public static void Check(InferenceSession session, string role, string file, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        var problems = new List<string>();
        foreach (var name in inputs.Where(n => !session.InputMetadata.ContainsKey(n)))
        {
            problems.Add($"input '{name}' is missing (the graph has: {string.Join(", ", session.InputMetadata.Keys)})");
        }

        foreach (var name in outputs.Where(n => !session.OutputMetadata.ContainsKey(n)))
        {
            problems.Add($"output '{name}' is missing (the graph has: {string.Join(", ", session.OutputMetadata.Keys)})");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"The {role} graph '{file}' does not match the bundle contract: {string.Join("; ", problems)}.");
        }
    }
}
