namespace IpIqa.Inference;

/// <summary>ONNX Runtime graph optimisation level.</summary>
public enum GraphOptimization
{
    None,
    Basic,
    Extended,
    All,
}
