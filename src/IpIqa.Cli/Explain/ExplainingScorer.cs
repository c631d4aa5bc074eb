using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Scoring;
using SixLabors.ImageSharp;

namespace IpIqa.Cli.Explain;

/// <summary>
/// The engine as the <see cref="IImageScorer"/> of <c>ipiqa score --explain</c>: every request asks for its
/// attention map, and each scored item's explanation is written by <see cref="ExplanationWriter"/>. A file
/// that cannot be written is reported on standard error and counted in <see cref="Failed"/>; the score stands.
/// </summary>
internal sealed class ExplainingScorer(ScoringEngine engine, ExplanationWriter writer) : IImageScorer
{
    private int _written;
    private int _failed;

    public ModelInfo Model => ((IImageScorer)engine).Model;

    public int Written => Volatile.Read(ref _written);

    public int Failed => Volatile.Read(ref _failed);

    public async Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var explained = await engine.ScoreExplainedAsync(input, cancellationToken).ConfigureAwait(false);
        if (explained is { Attention: { } map, Outcome.Scores: { } scores })
        {
            try
            {
                await writer.WriteAsync(input, scores, map, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageFormatException)
            {
                Interlocked.Increment(ref _failed);
                await Console.Error.WriteLineAsync($"warning: no explanation for '{input.Image.Name}': {ex.Message}").ConfigureAwait(false);
            }
        }

        return explained.Outcome;
    }
}
