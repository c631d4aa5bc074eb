using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>A graph input or output: its name, element type and shape.</summary>
public sealed record OnnxValueInfo(string Name, TensorElementType ElementType, IReadOnlyList<OnnxDim> Dims);
