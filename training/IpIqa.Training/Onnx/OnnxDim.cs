namespace IpIqa.Training.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as <c>N</c>.</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    public static OnnxDim Of(long value) => new(value, null);

    public static OnnxDim Named(string param) => new(null, param);

    public static implicit operator OnnxDim(long value) => Of(value);

    public static implicit operator OnnxDim(string param) => Named(param);
}
