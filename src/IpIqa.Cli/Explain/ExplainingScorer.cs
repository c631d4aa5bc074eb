using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using SixLabors.ImageSharp;

namespace IpIqa.Cli.Explain;

/// <summary>
/// The engine as the <see cref="IImageScorer"/> of <c>ipiqa score --explain</c>: every request asks for its
/// attention map, and each scored item's explanation is written by <see cref="ExplanationWriter"/>. A file
/// that cannot be written is reported on standard error and counted in <see cref="Failed"/>; the score stands.
/// With <paramref name="words"/>, each prompt word is also left out in turn and the variant scored
/// (<see cref="WordAttribution"/>): one more model run per word.
/// </summary>
internal sealed class ExplainingScorer(ScoringEngine engine, ExplanationWriter writer, bool words = false) : IImageScorer
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
                var attributions = words ? await AttributeWordsAsync(input, scores.Alignment, cancellationToken).ConfigureAwait(false) : null;
                await writer.WriteAsync(input, scores, map, attributions, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageFormatException or IpIqaException)
            {
                Interlocked.Increment(ref _failed);
                await Console.Error.WriteLineAsync($"warning: no explanation for '{input.Image.Name}': {ex.Message}").ConfigureAwait(false);
            }
        }

        return explained.Outcome;
    }

    /// <summary>The prompt's whitespace-separated words, each scored by leaving it out; empty for a one-word prompt.</summary>
    private async Task<IReadOnlyList<WordAttribution>> AttributeWordsAsync(ScorerInput input, double alignment, CancellationToken cancellationToken)
    {
        var split = input.Prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (split.Length < 2)
        {
            return [];
        }

        // The variants go to the batcher together, so they share batches.
        var variants = split.Select((_, i) => string.Join(' ', split.Where((_, j) => j != i)));
        var outcomes = await Task.WhenAll(variants.Select(v => engine.ScoreAsync(input with { Prompt = v }, cancellationToken))).ConfigureAwait(false);
        return split.Select((word, i) => outcomes[i].Scores is { } s ? new WordAttribution(word, s.Alignment, alignment - s.Alignment) : new WordAttribution(word, null, null)).ToArray();
    }
}
