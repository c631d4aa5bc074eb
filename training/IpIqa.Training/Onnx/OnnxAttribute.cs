namespace IpIqa.Training.Onnx;

/// <summary>A node attribute: one int, float, string or list of ints.</summary>
public sealed record OnnxAttribute(string Name, long? Int = null, float? Float = null, IReadOnlyList<long>? Ints = null, string? Text = null)
{
    public static OnnxAttribute Integer(string name, long value) => new(name, Int: value);

    public static OnnxAttribute Real(string name, float value) => new(name, Float: value);

    public static OnnxAttribute Integers(string name, params long[] values) => new(name, Ints: values);

    public static OnnxAttribute String(string name, string value) => new(name, Text: value);
}
