using IpIqa.Inference;

namespace IpIqa.Cli.Benchmarks;

/// <summary>
/// What <c>ipiqa bench e2e</c> runs: the bundle and inputs, the batch and thread counts, and the
/// timed run: <see cref="Repeat"/> passes over the inputs, or <see cref="Images"/> images cycling
/// through them when set, sampling memory every <see cref="MemoryEvery"/> images when set.
/// </summary>
internal sealed record E2eSettings(string Model, string Input, int BatchSize, int Threads, ExecutionProvider Provider)
{
    public int Repeat { get; init; } = 3;

    /// <summary>Images in the timed run, cycling through the inputs; 0: <see cref="Repeat"/> passes.</summary>
    public int Images { get; init; }

    /// <summary>Sample memory every this many timed images; 0: no samples.</summary>
    public int MemoryEvery { get; init; }

    /// <summary>Images decoded at once; 0: the same as <see cref="Threads"/> (one per processor when that is 0 too).</summary>
    public int PreprocessThreads { get; init; }

    /// <summary>Whether text features are cached per prompt, as the worker does.</summary>
    public bool CacheText { get; init; } = true;

    /// <summary>Whether ONNX Runtime's intra-op threads spin while idle (off by default, as in <c>ModelOptions</c>).</summary>
    public bool Spinning { get; init; }

    public int EffectivePreprocessThreads => PreprocessThreads > 0 ? PreprocessThreads : Threads;

    /// <summary>What is out of range, or null when all is well.</summary>
    public string? Problem() => this switch
    {
        { Repeat: < 1 } => $"--repeat {Repeat} must be at least 1.",
        { Images: < 0 or > 100_000_000 } => $"--images {Images} must be between 0 and 100000000.",
        { MemoryEvery: < 0 } => $"--memory-every {MemoryEvery} must not be negative.",
        { PreprocessThreads: < 0 or > 1024 } => $"--preprocess-threads {PreprocessThreads} must be between 0 and 1024.",
        _ => null,
    };
}
