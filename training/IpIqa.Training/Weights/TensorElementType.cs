namespace IpIqa.Training.Weights;

/// <summary>Element types a weight tensor may have; the values are ONNX <c>TensorProto.DataType</c> codes.</summary>
public enum TensorElementType
{
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
    Int64 = 7,
    Float16 = 10,
}
