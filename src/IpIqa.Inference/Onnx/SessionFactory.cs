using IpIqa.Inference.Bundles;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace IpIqa.Inference.Onnx;

/// <summary>
/// Creates the sessions (text, image, and the head when the bundle has one) on the configured execution provider:
/// Auto falls back to CPU with a warning, Cuda fails when CUDA cannot start.
/// </summary>
internal static class SessionFactory
{
    public static (InferenceSession Text, InferenceSession Image, InferenceSession? Head, string Provider) Create(ModelBundle bundle, ModelOptions options, ILogger logger)
    {
        if (options.ExecutionProvider != ExecutionProvider.Cpu)
        {
            var reason = CudaUnavailableReason();
            if (reason is null)
            {
                try
                {
                    var (cudaText, cudaImage, cudaHead) = OpenAll(bundle, options, cuda: true);
                    return (cudaText, cudaImage, cudaHead, "CUDA");
                }
                catch (OnnxRuntimeException ex)
                {
                    reason = $"CUDA device {options.DeviceId} could not start: {ex.Message}";
                }
            }

            if (options.ExecutionProvider == ExecutionProvider.Cuda)
            {
                // Asked for by name: a GPU replica that quietly scored on CPU would be many times slower.
                throw new ExecutionProviderUnavailableException(
                    $"IpIqa:Model:ExecutionProvider is Cuda (ipiqa: --provider Cuda), but CUDA cannot start: {reason} Use Auto to fall back to CPU, or Cpu.");
            }

            if (options.ExecutionProvider == ExecutionProvider.Auto && !IsGpuBuild)
            {
                // Auto on the CPU build is the expected case (README command 1, CI): no warning.
                logger.CpuBuild();
            }
            else
            {
                logger.FellBackToCpu(options.ExecutionProvider, reason);
            }
        }

        var (text, image, head) = OpenAll(bundle, options, cuda: false);
        return (text, image, head, "CPU");
    }

    /// <summary>
    /// Opens the text, the image, then the head graph. When one fails, those already open are disposed
    /// before the error leaves: on CUDA an orphaned session would keep its device memory while Auto
    /// falls back to CPU.
    /// </summary>
    private static (InferenceSession Text, InferenceSession Image, InferenceSession? Head) OpenAll(ModelBundle bundle, ModelOptions options, bool cuda)
    {
        var text = Open(bundle.TextGraphPath, options, cuda);
        InferenceSession? image = null;
        try
        {
            image = Open(bundle.ImageGraphPath, options, cuda);
            return (text, image, bundle.HeadGraphPath is { } head ? Open(head, options, cuda) : null);
        }
        catch
        {
            image?.Dispose();
            text.Dispose();
            throw;
        }
    }

    private static readonly bool IsGpuBuild =
#if IPIQA_GPU
        true;
#else
        false;
#endif

    private static string? CudaUnavailableReason()
    {
#if IPIQA_GPU
        return OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider")
            ? null
            : "the ONNX Runtime in this build lists no CUDAExecutionProvider.";
#else
        return "this build carries the CPU ONNX Runtime package (build with -p:IpIqaGpu=true for CUDA).";
#endif
    }

    private static InferenceSession Open(string path, ModelOptions options, bool cuda)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimization switch
            {
                GraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = options.IntraOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.IntraOpSpinning ? "1" : "0");
        if (cuda)
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
        }

        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException ex) when (!cuda)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load '{path}': {ex.Message}", ex);
        }
    }
}
