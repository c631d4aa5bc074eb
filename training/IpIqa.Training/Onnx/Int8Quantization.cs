using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Rewrites a float32 image graph into static QDQ int8 (the ONNX QuantizeLinear / DequantizeLinear
/// form that ONNX Runtime fuses into integer kernels), keeping the float32 interface:
/// <list type="bullet">
/// <item>every <c>Conv</c>: its input activation goes through Q→DQ (uint8, calibrated scale), its weight is
/// int8 per output channel (symmetric, ±127), its bias int32 at input scale × weight scale, and its output
/// goes through Q→DQ; a <c>Relu</c> that alone reads a Conv's output is folded into that Q (zero point 0);</item>
/// <item>every residual <c>Add</c> followed by a <c>Relu</c>: inputs and output through Q→DQ, the Relu folded the
/// same way, so the trunk stays in uint8 between convolutions (ONNX Runtime runs it as QLinearAdd);</item>
/// <item>the attention pools' key and value projections (<see cref="ProjectionSuffixes"/>, the MatMuls over all
/// spatial tokens): int8 weight per output column, uint8 input, float32 output, unless <c>floatProjections</c>;</item>
/// <item>everything else stays float32: the query and output projections of a single token, Softmax,
/// the average pools (which ONNX Runtime may run in uint8 between Q and DQ) and the head cost accuracy rather than time.</item>
/// </list>
/// Convolutions whose node name starts with one of the <c>keepFloat</c> prefixes stay float32 (e.g.
/// <c>resnet50.stem</c>, the 3-conv stem). Activation scales come from the calibration's ranges.
/// None of the quantized tensors depends on <c>text_features</c>.
/// </summary>
public static class Int8Quantization
{
    /// <summary>Weight names of the projections that run on every spatial token.</summary>
    public static IReadOnlyList<string> ProjectionSuffixes { get; } = [".k_proj.weight", ".v_proj.weight"];

    private const float WeightLevels = 127f;

    /// <summary>The float tensors whose range <see cref="Quantize"/> needs, in graph order.</summary>
    public static IReadOnlyList<string> CalibrationTensors(GraphBuilder source, IReadOnlyList<string>? keepFloat = null, bool floatProjections = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        var plan = new Plan(source, keepFloat ?? [], floatProjections);
        var tensors = new List<string>();
        foreach (var node in source.Nodes)
        {
            if (node.OpType == "Conv" && plan.IsQuantizedConv(node))
            {
                tensors.Add(node.Inputs[0]);
                tensors.Add(plan.QuantizedOutput(node));
            }
            else if (plan.ProjectionWeight(node) is not null)
            {
                tensors.Add(node.Inputs[0]);
            }
            else if (plan.IsQuantizedAdd(node))
            {
                tensors.AddRange(node.Inputs);
                tensors.Add(plan.QuantizedOutput(node));
            }
        }

        return tensors.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A QDQ int8 copy of <paramref name="source"/>, which is not changed.</summary>
    /// <param name="ranges">Min and max of each tensor <see cref="CalibrationTensors"/> names.</param>
    /// <param name="keepFloat">Node-name prefixes of convolutions left in float32.</param>
    /// <param name="floatProjections">Leave the key/value projections in float32 too.</param>
    /// <exception cref="InvalidDataException">A range is missing or not finite.</exception>
    public static GraphBuilder Quantize(GraphBuilder source, IReadOnlyDictionary<string, (float Min, float Max)> ranges, IReadOnlyList<string>? keepFloat = null, bool floatProjections = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(ranges);
        var plan = new Plan(source, keepFloat ?? [], floatProjections);
        var target = new GraphBuilder(source.Name);
        foreach (var input in source.Inputs)
        {
            target.Input(input.Name, input.ElementType, [.. input.Dims]);
        }

        foreach (var (name, tensor) in source.Initializers.Where(kv => !plan.ReplacedWeights.Contains(kv.Key)))
        {
            target.Initializer(name, tensor);
        }

        // Float tensor name -> its dequantized copy and that copy's scale.
        var quantized = new Dictionary<string, (string Name, float Scale)>(StringComparer.Ordinal);
        (string Name, float Scale) Activation(string tensor)
        {
            if (!quantized.TryGetValue(tensor, out var q))
            {
                var (scale, zeroPoint) = ActivationParameters(tensor, Range(ranges, tensor));
                q = ($"{tensor}:dq", scale);
                QuantizeDequantize(target, tensor, tensor, q.Name, scale, zeroPoint);
                quantized[tensor] = q;
            }

            return q;
        }

        foreach (var node in source.Nodes)
        {
            if (plan.Dropped.Contains(node.Name))
            {
                continue;
            }

            if (node.OpType == "Conv" && plan.IsQuantizedConv(node))
            {
                var x = Activation(node.Inputs[0]);
                var (weight, weightScales) = ConvWeight(target, node.Inputs[1], source.Initializers[node.Inputs[1]]);
                var bias = Bias(target, node.Inputs[2], source.Initializers[node.Inputs[2]], x.Scale, weightScales);
                var output = plan.QuantizedOutput(node);
                target.AddNode(node with { Inputs = [x.Name, weight, bias], Outputs = [$"{output}:f"] });
                var (scale, zeroPoint) = ActivationParameters(output, Range(ranges, output));
                QuantizeDequantize(target, output, $"{output}:f", output, scale, zeroPoint);
                quantized[output] = (output, scale);
            }
            else if (plan.IsQuantizedAdd(node))
            {
                var output = plan.QuantizedOutput(node);
                target.AddNode(node with { Inputs = node.Inputs.Select(i => Activation(i).Name).ToArray(), Outputs = [$"{output}:f"] });
                var (scale, zeroPoint) = ActivationParameters(output, Range(ranges, output));
                QuantizeDequantize(target, output, $"{output}:f", output, scale, zeroPoint);
                quantized[output] = (output, scale);
            }
            else if (plan.ProjectionWeight(node) is { } weightName)
            {
                var x = Activation(node.Inputs[0]);
                target.AddNode(node with { Inputs = [x.Name, ProjectionWeight(target, weightName, source.Initializers[weightName])] });
            }
            else
            {
                target.AddNode(node);
            }
        }

        foreach (var output in source.Outputs)
        {
            target.DeclareOutput(output);
        }

        return target;
    }

    /// <summary>uint8 asymmetric parameters of a range widened to hold 0, as ONNX Runtime's MinMax calibrator computes them.</summary>
    internal static (float Scale, byte ZeroPoint) ActivationParameters(string tensor, (float Min, float Max) range)
    {
        if (!float.IsFinite(range.Min) || !float.IsFinite(range.Max) || range.Min > range.Max)
        {
            throw new InvalidDataException($"Calibration range of '{tensor}' is [{range.Min}, {range.Max}], not a finite interval.");
        }

        var low = Math.Min(0f, range.Min);
        var high = Math.Max(0f, range.Max);
        var scale = high - low > 1e-12f ? (high - low) / 255f : 1f;
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-low / scale), 0f, 255f);
        return (scale, zeroPoint);
    }

    private static (float Min, float Max) Range(IReadOnlyDictionary<string, (float Min, float Max)> ranges, string tensor) =>
        ranges.TryGetValue(tensor, out var range)
            ? range
            : throw new InvalidDataException($"The calibration has no range for tensor '{tensor}'.");

    private static void QuantizeDequantize(GraphBuilder g, string prefix, string input, string output, float scale, byte zeroPoint)
    {
        var scaleName = g.Initializer($"{prefix}:scale", TensorData.FromFloats([scale])).Name;
        var zeroName = g.Initializer($"{prefix}:zero_point", new TensorData(TensorElementType.UInt8, [], new[] { zeroPoint })).Name;
        g.AddNode(new OnnxNode($"{prefix}/QuantizeLinear", "QuantizeLinear", [input, scaleName, zeroName], [$"{prefix}:q"], []));
        g.AddNode(new OnnxNode($"{prefix}/DequantizeLinear", "DequantizeLinear", [$"{prefix}:q", scaleName, zeroName], [output], []));
    }

    /// <summary>Per-output-channel symmetric int8 of a [O, ...] Conv weight; returns the dequantized name and the scales.</summary>
    private static (string Name, float[] Scales) ConvWeight(GraphBuilder g, string name, TensorData weight)
    {
        var values = weight.Floats;
        var channels = (int)weight.Shape[0];
        var perChannel = values.Length / channels;
        var scales = new float[channels];
        var levels = new byte[values.Length];
        for (var c = 0; c < channels; c++)
        {
            var row = values.Slice(c * perChannel, perChannel);
            scales[c] = WeightScale(row);
            QuantizeWeights(row, scales[c], levels.AsSpan(c * perChannel, perChannel));
        }

        var dq = Dequantize(g, name, new TensorData(TensorElementType.Int8, weight.Shape, levels), scales, new TensorData(TensorElementType.Int8, [channels], new byte[channels]), axis: 0);
        return (dq, scales);
    }

    /// <summary>An int32 bias at scale input × weight scale per channel (zero point 0), as QLinearConv takes it.</summary>
    private static string Bias(GraphBuilder g, string name, TensorData bias, float inputScale, float[] weightScales)
    {
        var values = bias.Floats;
        var scales = new float[values.Length];
        var levels = new int[values.Length];
        for (var c = 0; c < values.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            levels[c] = (int)Math.Clamp(Math.Round(values[c] / (double)scales[c], MidpointRounding.ToEven), int.MinValue + 1, int.MaxValue);
        }

        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(levels.AsSpan()).ToArray();
        return Dequantize(g, name, new TensorData(TensorElementType.Int32, bias.Shape, bytes), scales, new TensorData(TensorElementType.Int32, [values.Length], new byte[values.Length * sizeof(int)]), axis: 0);
    }

    /// <summary>A [out, in] projection weight as the [in, out] int8 MatMul operand, one scale per output column (#16).</summary>
    private static string ProjectionWeight(GraphBuilder g, string name, TensorData weight)
    {
        var values = weight.Floats;
        int rows = (int)weight.Shape[0], columns = (int)weight.Shape[1];
        // Row r of W is output column r of the [in, out] operand: one symmetric scale each (axis 1).
        var scales = new float[rows];
        var levels = new byte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = values.Slice(r * columns, columns);
            scales[r] = WeightScale(row);
            for (var c = 0; c < columns; c++)
            {
                levels[c * rows + r] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(row[c] / scales[r]), -WeightLevels, WeightLevels));
            }
        }

        return Dequantize(g, name, new TensorData(TensorElementType.Int8, [columns, rows], levels), scales, new TensorData(TensorElementType.Int8, [rows], new byte[rows]), axis: 1);
    }

    private static string Dequantize(GraphBuilder g, string name, TensorData levels, float[] scales, TensorData zeroPoints, int? axis)
    {
        var scaleTensor = axis is null ? TensorData.FromFloats(scales) : TensorData.FromFloats(scales, scales.Length);
        var inputs = new[]
        {
            g.Initializer($"{name}:int", levels).Name,
            g.Initializer($"{name}:scale", scaleTensor).Name,
            g.Initializer($"{name}:zero_point", zeroPoints).Name,
        };
        var output = $"{name}:dq";
        g.AddNode(new OnnxNode($"{name}/DequantizeLinear", "DequantizeLinear", inputs, [output], axis is { } a ? [OnnxAttribute.Integer("axis", a)] : []));
        return output;
    }

    private static float WeightScale(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max > 0f ? max / WeightLevels : 1f;
    }

    private static void QuantizeWeights(ReadOnlySpan<float> values, float scale, Span<byte> levels)
    {
        for (var i = 0; i < values.Length; i++)
        {
            levels[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(values[i] / scale), -WeightLevels, WeightLevels));
        }
    }

    /// <summary>Which nodes the pass rewrites, found once from the source graph.</summary>
    private sealed class Plan
    {
        private readonly GraphBuilder _source;
        private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _outputs;
        private readonly IReadOnlyList<string> _keepFloat;
        private readonly bool _floatProjections;

        public Plan(GraphBuilder source, IReadOnlyList<string> keepFloat, bool floatProjections)
        {
            _source = source;
            _keepFloat = keepFloat;
            _floatProjections = floatProjections;
            _outputs = source.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var node in source.Nodes)
            {
                foreach (var input in node.Inputs)
                {
                    (_consumers.TryGetValue(input, out var list) ? list : _consumers[input] = []).Add(node);
                }

                foreach (var output in node.Outputs)
                {
                    _producers[output] = node;
                }
            }

            foreach (var node in source.Nodes)
            {
                if ((node.OpType == "Conv" && IsQuantizedConv(node)) || IsQuantizedAdd(node))
                {
                    if (FusedRelu(node) is { } relu)
                    {
                        Dropped.Add(relu.Name);
                    }
                }
                else if (ProjectionWeight(node) is { } weight)
                {
                    Dropped.Add(_producers[node.Inputs[1]].Name);
                    ReplacedWeights.Add(weight);
                }
            }

            foreach (var node in source.Nodes.Where(n => n.OpType == "Conv" && IsQuantizedConv(n)))
            {
                ReplacedWeights.Add(node.Inputs[1]);
                ReplacedWeights.Add(node.Inputs[2]);
            }
        }

        /// <summary>Nodes the rewrite leaves out: Relus folded into a Q, Transposes of projection weights.</summary>
        public HashSet<string> Dropped { get; } = new(StringComparer.Ordinal);

        /// <summary>Float initializers replaced by int8/int32 ones.</summary>
        public HashSet<string> ReplacedWeights { get; } = new(StringComparer.Ordinal);

        /// <summary>A Conv with a float32 weight and bias held as initializers used by this Conv alone, not kept in float.</summary>
        public bool IsQuantizedConv(OnnxNode conv) =>
            conv.Inputs.Count == 3 && conv.Inputs.Skip(1).All(i => IsOwnFloatInitializer(i, conv))
            && !_keepFloat.Any(p => conv.Name.StartsWith(p, StringComparison.Ordinal));

        /// <summary>A residual <c>Add</c> whose output only a <c>Relu</c> reads: quantized, with that Relu folded into its Q.</summary>
        public bool IsQuantizedAdd(OnnxNode node) =>
            node.OpType == "Add" && node.Inputs.Count == 2 && node.Inputs.All(i => _producers.ContainsKey(i)) && FusedRelu(node) is not null;

        /// <summary>The tensor a quantized node's Q reads the range of: the folded Relu's output, else the node's own.</summary>
        public string QuantizedOutput(OnnxNode node) => FusedRelu(node)?.Outputs[0] ?? node.Outputs[0];

        /// <summary>For <c>MatMul(x, Transpose(W))</c> with W a key/value projection weight: W's name.</summary>
        public string? ProjectionWeight(OnnxNode node)
        {
            if (_floatProjections || node.OpType != "MatMul" || !_producers.TryGetValue(node.Inputs[1], out var transpose) || transpose.OpType != "Transpose")
            {
                return null;
            }

            var weight = transpose.Inputs[0];
            var isProjection = ProjectionSuffixes.Any(s => weight.EndsWith(s, StringComparison.Ordinal))
                && _source.Initializers.TryGetValue(weight, out var tensor) && tensor.Shape.Count == 2
                && tensor.ElementType == TensorElementType.Float32
                && _consumers[weight].Count == 1 && _consumers[transpose.Outputs[0]].Count == 1;
            return isProjection ? weight : null;
        }

        private OnnxNode? FusedRelu(OnnxNode node)
        {
            var output = node.Outputs[0];
            return !_outputs.Contains(output) && _consumers.TryGetValue(output, out var readers) && readers is [{ OpType: "Relu" } relu] ? relu : null;
        }

        private bool IsOwnFloatInitializer(string name, OnnxNode node) =>
            _source.Initializers.TryGetValue(name, out var tensor) && tensor.ElementType == TensorElementType.Float32
            && _consumers[name].All(n => ReferenceEquals(n, node));
    }
}
