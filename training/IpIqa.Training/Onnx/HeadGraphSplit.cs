using IpIqa.Core.Bundles;
using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Splits an fp32 image graph at the prompt: the nodes that read <c>text_features</c>, directly or through other
/// nodes, form the head graph; the values they read from the rest of the graph (the image features: for IP-IQA the
/// mean-token pool's output and the text-queried pool's keys and values) are renamed <c>image_feature_0</c>,
/// <c>image_feature_1</c>, ..., and become outputs of the image graph and inputs of the head.
/// Nodes that read only initializers (a weight's transpose) are copied into the head where it reads them.
/// The image graph keeps every node, so its <c>scores</c> are the same values from the same operators;
/// the head computes the prompt-dependent outputs (<c>scores</c>, <c>attention</c>, <c>text_pooled</c>) from the features.
/// </summary>
public static class HeadGraphSplit
{
    /// <summary>The image graph with the image features as extra outputs, and the head graph.</summary>
    /// <exception cref="InvalidDataException">The graph has no <c>text_features</c> input, or a prompt-dependent node reads another graph input.</exception>
    public static (GraphBuilder Image, GraphBuilder Head) Split(GraphBuilder image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var textInput = image.Inputs.FirstOrDefault(i => i.Name == BundleGraphNames.TextFeatures)
            ?? throw new InvalidDataException($"The image graph has no '{BundleGraphNames.TextFeatures}' input to split at.");
        var dependent = new HashSet<string>(StringComparer.Ordinal) { textInput.Name };
        var constant = new HashSet<string>(image.Initializers.Keys, StringComparer.Ordinal);
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        var head = new HashSet<OnnxNode>();
        var features = new List<string>();
        foreach (var node in image.Nodes)
        {
            foreach (var output in node.Outputs)
            {
                producer[output] = node;
            }

            if (node.Inputs.All(i => i.Length == 0 || constant.Contains(i)))
            {
                constant.UnionWith(node.Outputs); // reads initializers only (a weight's transpose): copied into the head where it reads it
                continue;
            }

            if (!node.Inputs.Any(dependent.Contains))
            {
                continue;
            }

            head.Add(node);
            dependent.UnionWith(node.Outputs);
            foreach (var input in node.Inputs.Where(i => i.Length > 0 && !dependent.Contains(i)))
            {
                if (constant.Contains(input))
                {
                    AddConstant(input, producer, head);
                }
                else if (image.Inputs.Any(i => i.Name == input))
                {
                    throw new InvalidDataException($"Node '{node.Name}' reads the prompt and the graph input '{input}'; the graph cannot be split at the prompt.");
                }
                else if (!features.Contains(input))
                {
                    features.Add(input);
                }
            }
        }

        var headNodes = image.Nodes.Where(head.Contains).ToList();
        var featureName = features.Select((value, i) => (value, name: BundleGraphNames.ImageFeaturePrefix + i)).ToDictionary(p => p.value, p => p.name, StringComparer.Ordinal);
        var shapes = FeatureShapes(WithFeatureOutputs(image, featureName, null));
        return (WithFeatureOutputs(image, featureName, shapes), Head(image, textInput, headNodes, featureName, dependent, shapes));
    }

    // The values are renamed to the feature names rather than copied by Identity nodes: scoring, which runs every
    // node whether or not it binds an output (ONNX Runtime does not prune), then does no more work than before the split.
    private static GraphBuilder WithFeatureOutputs(GraphBuilder image, Dictionary<string, string> features, Dictionary<string, OnnxValueInfo>? shapes)
    {
        string Renamed(string value) => features.GetValueOrDefault(value, value);
        var nodes = image.Nodes.Select(n => n with { Inputs = [.. n.Inputs.Select(Renamed)], Outputs = [.. n.Outputs.Select(Renamed)] });
        var copy = Copy(image, image.Name, nodes, image.Initializers.Keys);
        foreach (var output in image.Outputs)
        {
            copy.DeclareOutput(output);
        }

        foreach (var name in features.Values)
        {
            copy.DeclareOutput(shapes?[name] ?? new OnnxValueInfo(name, TensorElementType.Float32, [], ShapeKnown: false));
        }

        return copy;
    }

    /// <summary>
    /// Each feature's declared shape: the batch axis <c>N</c>, then the sizes ONNX Runtime infers (a size it cannot fix
    /// gets a name). The ONNX checker requires a shape on every graph input and output.
    /// </summary>
    private static Dictionary<string, OnnxValueInfo> FeatureShapes(GraphBuilder shapeless)
    {
        using var stream = new MemoryStream();
        OnnxModelWriter.Write(shapeless, stream);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(stream.ToArray());
        return shapeless.Outputs.Where(o => BundleGraphNames.IsImageFeature(o.Name)).ToDictionary(
            o => o.Name,
            o => new OnnxValueInfo(
                o.Name,
                TensorElementType.Float32,
                [.. session.OutputMetadata[o.Name].Dimensions.Select((d, i) => i == 0 ? OnnxDim.Named("N") : d > 0 ? OnnxDim.Of(d) : OnnxDim.Named($"{o.Name}_{i}"))]),
            StringComparer.Ordinal);
    }

    private static GraphBuilder Head(GraphBuilder image, OnnxValueInfo textInput, List<OnnxNode> nodes, Dictionary<string, string> features, HashSet<string> dependent, Dictionary<string, OnnxValueInfo> shapes)
    {
        var renamed = nodes.Select(n => n with { Inputs = [.. n.Inputs.Select(i => features.GetValueOrDefault(i, i))] }).ToArray();
        var used = renamed.SelectMany(n => n.Inputs).Where(image.Initializers.ContainsKey).Distinct(StringComparer.Ordinal);
        var head = Copy(image, "ipiqa_head", renamed, used, includeInputs: false);
        head.DeclareInput(textInput);
        foreach (var name in features.Values)
        {
            head.DeclareInput(shapes[name]);
        }

        foreach (var output in image.Outputs.Where(o => dependent.Contains(o.Name)))
        {
            head.DeclareOutput(output);
        }

        return head;
    }

    /// <summary>Adds the nodes that compute the constant <paramref name="value"/> from initializers.</summary>
    private static void AddConstant(string value, Dictionary<string, OnnxNode> producer, HashSet<OnnxNode> head)
    {
        if (producer.TryGetValue(value, out var node) && head.Add(node))
        {
            foreach (var input in node.Inputs.Where(i => i.Length > 0))
            {
                AddConstant(input, producer, head);
            }
        }
    }

    private static GraphBuilder Copy(GraphBuilder source, string name, IEnumerable<OnnxNode> nodes, IEnumerable<string> initializers, bool includeInputs = true)
    {
        var copy = new GraphBuilder(name);
        if (includeInputs)
        {
            foreach (var input in source.Inputs)
            {
                copy.DeclareInput(input);
            }
        }

        foreach (var initializer in initializers)
        {
            copy.Initializer(initializer, source.Initializers[initializer]);
        }

        foreach (var node in nodes)
        {
            copy.AddNode(node);
        }

        return copy;
    }
}
