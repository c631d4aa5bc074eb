using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// A graph input or output: its name, element type and shape. With <paramref name="ShapeKnown"/> false
/// the file declares no shape at all (ONNX Runtime infers it), as for tensors exposed only to observe them.
/// </summary>
public sealed record OnnxValueInfo(string Name, TensorElementType ElementType, IReadOnlyList<OnnxDim> Dims, bool ShapeKnown = true);
