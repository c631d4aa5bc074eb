namespace IpIqa.Training.Weights;

/// <summary>
/// Model weights keyed by the official state-dict names, with lookups that check the shape the
/// architecture expects and name the key and both shapes when they differ.
/// </summary>
public sealed class WeightSet(IReadOnlyDictionary<string, TensorData> tensors, string source)
{
    public string Source { get; } = source;

    /// <summary>The tensors, keyed by the official state-dict names.</summary>
    public IReadOnlyDictionary<string, TensorData> Tensors { get; } = tensors;

    /// <summary>
    /// Weights from float arrays keyed by the official names (as a TorchSharp state dict yields
    /// them); the arrays are wrapped, not copied.
    /// </summary>
    public static WeightSet FromFloatArrays(IEnumerable<KeyValuePair<string, (float[] Data, long[] Shape)>> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var wrapped = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (name, (data, shape)) in tensors)
        {
            try
            {
                wrapped[name] = TensorData.WrapFloats(data, shape);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{source}: weight '{name}': {ex.Message}", ex);
            }
        }

        return new WeightSet(wrapped, source);
    }

    public bool Contains(string name) => Tensors.ContainsKey(name);

    /// <summary>The tensor <paramref name="name"/>, which must be float32 with exactly <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidDataException">The key is absent, or its type or shape differs.</exception>
    public TensorData Require(string name, params long[] shape)
    {
        if (!Tensors.TryGetValue(name, out var tensor))
        {
            var prefix = name.Contains('.', StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : name;
            var near = Tensors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Take(5).ToArray();
            var hint = near.Length > 0 ? $" Keys under '{prefix}': {string.Join(", ", near)}." : "";
            throw new InvalidDataException($"{Source}: weight '{name}' is missing (the architecture needs shape {TensorData.FormatShape(shape)}).{hint}");
        }

        if (tensor.ElementType != TensorElementType.Float32)
        {
            throw new InvalidDataException($"{Source}: weight '{name}' is {tensor.ElementType}; expected Float32.");
        }

        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException(
                $"{Source}: weight '{name}' has shape {tensor.ShapeText}; the architecture needs {TensorData.FormatShape(shape)}.");
        }

        return tensor;
    }
}
