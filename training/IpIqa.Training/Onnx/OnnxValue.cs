namespace IpIqa.Training.Onnx;

/// <summary>A named tensor in an ONNX graph under construction.</summary>
public readonly record struct OnnxValue(string Name)
{
    public override string ToString() => Name;
}
