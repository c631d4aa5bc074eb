using System.ComponentModel.DataAnnotations;

namespace IpIqa.Inference;

/// <summary>Which model bundle runs, and how ONNX Runtime runs it. Configuration section <c>IpIqa:Model</c>.</summary>
public sealed record ModelOptions
{
    public const string SectionName = "IpIqa:Model";

    /// <summary>The model bundle folder (holding <c>bundle.json</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string BundlePath { get; init; } = "models/demo";

    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    [Range(0, 63)]
    public int DeviceId { get; init; }

    /// <summary>Threads ONNX Runtime uses inside one operator; 0 lets it choose.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while waiting for work (ONNX Runtime's own
    /// default). Off here: the preprocessing pool decodes images on the same cores while the model
    /// runs, and spinning threads take CPU from it (docs/benchmarks.md: about a quarter of the CPU
    /// per image with 2 threads). Turn on for a dedicated machine where latency matters most.
    /// </summary>
    public bool IntraOpSpinning { get; init; }

    public GraphOptimization GraphOptimization { get; init; } = GraphOptimization.All;

    /// <summary>Prompts whose text features are kept (least recently used dropped first); 0 turns the cache off.</summary>
    [Range(0, 10_000_000)]
    public int TextCacheCapacity { get; init; } = 4096;

    /// <summary>Largest prompt, in UTF-8 bytes: the engine's limit, and the worker's message parser's (prompt_invalid above it).</summary>
    [Range(1, 1_000_000)]
    public int MaxPromptBytes { get; init; } = IpIqa.Core.Contracts.RequestLimits.DefaultMaxPromptBytes;
}
