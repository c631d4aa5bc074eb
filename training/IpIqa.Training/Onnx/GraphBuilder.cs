using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Builds an ONNX graph in the order a model's forward pass reads. Each operator method adds one
/// node and returns its output; the operator methods live in <c>GraphBuilder.Ops.cs</c>.
/// Initializers are held by reference and written once by <see cref="OnnxModelWriter"/>.
/// </summary>
public sealed partial class GraphBuilder(string name)
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly Dictionary<string, TensorData> _initializers = new(StringComparer.Ordinal);
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);
    private int _constants;

    public string Name { get; } = name;

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    public IReadOnlyDictionary<string, TensorData> Initializers => _initializers;

    public IReadOnlyList<OnnxValueInfo> Inputs => _inputs;

    public IReadOnlyList<OnnxValueInfo> Outputs => _outputs;

    /// <summary>Name prefix of the nodes added next, e.g. <c>resnet50.layer1.0</c>.</summary>
    public string Scope { get; set; } = "";

    public OnnxValue Input(string inputName, TensorElementType type, params OnnxDim[] dims)
    {
        _inputs.Add(new OnnxValueInfo(inputName, type, dims));
        return new OnnxValue(inputName);
    }

    /// <summary>Publishes <paramref name="value"/> as the graph output <paramref name="outputName"/>.</summary>
    public void Output(OnnxValue value, string outputName, TensorElementType type, params OnnxDim[] dims)
    {
        _nodes.Add(new OnnxNode($"{outputName}/Identity", "Identity", [value.Name], [outputName], []));
        _outputs.Add(new OnnxValueInfo(outputName, type, dims));
    }

    /// <summary>Appends a node exactly as given (names included); for graph rewrites such as <see cref="Float16Conversion"/>.</summary>
    internal void AddNode(OnnxNode node) => _nodes.Add(node);

    /// <summary>Declares a graph input exactly as given; for graph rewrites such as <see cref="HeadGraphSplit"/>.</summary>
    internal void DeclareInput(OnnxValueInfo input) => _inputs.Add(input);

    /// <summary>Declares a graph output produced by a node added with <see cref="AddNode"/>.</summary>
    internal void DeclareOutput(OnnxValueInfo output) => _outputs.Add(output);

    /// <summary>Adds (once) a named initializer.</summary>
    public OnnxValue Initializer(string initializerName, TensorData tensor)
    {
        if (_initializers.TryGetValue(initializerName, out var existing) && !ReferenceEquals(existing, tensor))
        {
            throw new InvalidOperationException($"Initializer '{initializerName}' was added twice with different data.");
        }

        _initializers[initializerName] = tensor;
        return new OnnxValue(initializerName);
    }

    /// <summary>An int64 constant (shapes, axes, indices).</summary>
    public OnnxValue Int64s(params long[] values) => Initializer($"const_i64_{_constants++}", TensorData.FromInt64s(values, values.Length));

    /// <summary>A float32 scalar constant.</summary>
    public OnnxValue Scalar(float value) => Initializer($"const_f32_{_constants++}", TensorData.FromFloats([value]));

    /// <summary>Adds a node with one output and returns it.</summary>
    public OnnxValue Node(string opType, IReadOnlyList<OnnxValue> inputs, params OnnxAttribute[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs.</summary>
    public OnnxValue[] NodeWithOutputs(string opType, IReadOnlyList<OnnxValue> inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        var count = _opCounts.GetValueOrDefault(opType);
        _opCounts[opType] = count + 1;
        var nodeName = string.IsNullOrEmpty(Scope) ? $"{opType}_{count}" : $"{Scope}/{opType}_{count}";
        var outputs = Enumerable.Range(0, outputCount).Select(i => outputCount == 1 ? nodeName : $"{nodeName}:{i}").ToArray();
        _nodes.Add(new OnnxNode(nodeName, opType, inputs.Select(v => v.Name).ToArray(), outputs, attributes));
        return outputs.Select(o => new OnnxValue(o)).ToArray();
    }
}
