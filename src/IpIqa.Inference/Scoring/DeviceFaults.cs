using IpIqa.Core.Errors;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Tells a model-run failure that is the item's (its data cannot be run: an argument, format or
/// arithmetic error raised for it) from one that is the worker's: everything else, first of all an
/// ONNX Runtime session failure, CUDA out of memory or a lost device. The inputs reaching the model
/// are fixed-shape tensors made by the preprocessor and tokenizer, so a runtime failure says nothing
/// about the image or prompt.
/// </summary>
public static class DeviceFaults
{
    public static bool IsDeviceFault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OperationCanceledException => false,
            IpIqaException or ArgumentException or InvalidDataException or FormatException or ArithmeticException => false,
            _ => true,
        };
    }
}
