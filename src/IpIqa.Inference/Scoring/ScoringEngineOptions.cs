using IpIqa.Core.Batching;

namespace IpIqa.Inference.Scoring;

/// <summary>What a <see cref="ScoringEngine"/> is built with: batching, the preprocessing pool, and the prompt limit.</summary>
public sealed record ScoringEngineOptions
{
    public DynamicBatcherOptions Batching { get; init; } = new();

    public PreprocessingOptions Preprocessing { get; init; } = new();

    /// <summary>Largest prompt, in UTF-8 bytes.</summary>
    public int MaxPromptBytes { get; init; } = IpIqa.Core.Contracts.RequestLimits.DefaultMaxPromptBytes;
}
