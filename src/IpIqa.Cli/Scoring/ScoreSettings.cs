using IpIqa.Inference;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Scoring;

/// <summary>The arguments of <c>ipiqa score</c>.</summary>
internal sealed record ScoreSettings(
    string Model,
    string Input,
    string Output,
    ScoreThresholds Thresholds,
    int BatchSize,
    int Threads,
    ExecutionProvider Provider);
