namespace IpIqa.Inference;

/// <summary>Where ONNX Runtime runs the graphs.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when this build carries it and a device answers, else CPU (with a warning).</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA only: when it cannot start, the session is not created and the error names the reason.</summary>
    Cuda,
}
