using IpIqa.Inference.Scoring;
using Spectre.Console;

namespace IpIqa.Rescoring;

/// <summary>
/// What a run takes from the command that starts it: how to load the model (the command owns its options and
/// loggers), and the terminal for a live progress bar; null writes a plain progress line every few seconds to
/// standard error (no terminal: CI, logs, tests).
/// </summary>
internal sealed record RescoreHost(Func<LoadedScoringEngine> LoadEngine, IAnsiConsole? Terminal);
