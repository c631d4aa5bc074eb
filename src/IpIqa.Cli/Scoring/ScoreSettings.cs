using IpIqa.Core.Contracts;
using IpIqa.Inference;

namespace IpIqa.Cli.Scoring;

/// <summary>The arguments of <c>ipiqa score</c>.</summary>
internal sealed record ScoreSettings(
    string Model,
    string Input,
    string Output,
    Thresholds Thresholds,
    int BatchSize,
    int Threads,
    ExecutionProvider Provider,
    int MaxPromptBytes = RequestLimits.DefaultMaxPromptBytes,
    bool FailOnVerdict = false,
    string? ExplainFolder = null,
    bool ExplainWords = false);
