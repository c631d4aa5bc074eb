using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Core.Jobs;
using IpIqa.Imaging;
using IpIqa.Inference.Onnx;
using IpIqa.Inference.Scoring;

namespace IpIqa.Inference.Explain;

/// <summary>
/// The engine as Core's <see cref="IImageExplainer"/>: the request goes through the engine's one batcher with its
/// attention map asked for (<see cref="ScoringEngine.ScoreExplainedAsync"/>), and a scored item's map is drawn over
/// its image (<see cref="AttentionOverlay"/>) and written as JSON (<see cref="ExplanationJson"/>). Asked for words,
/// it scores the prompt with each word left out (<see cref="WordAttribution"/>). With a head graph
/// (<see cref="ScoringEngine.ReusesImageFeatures"/>) the explained run keeps the image features and each variant costs only
/// the text tower and the head: the image graph runs once per image. A bundle without one scores the variants in full,
/// together through the same batcher so they share batches: one more image graph run per word.
/// </summary>
public sealed class EngineExplainer(ScoringEngine engine) : IImageExplainer
{
    public string? Unavailable => engine.CanExplain ? null : ScoringEngine.NoAttentionMessage(engine.Model);

    public async Task<ExplainedScore> ScoreExplainedAsync(ScorerInput input, string stem, bool words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var explained = await engine.ScoreExplainedAsync(input, keepFeatures: words, cancellationToken).ConfigureAwait(false);
        if (explained is not { Attention: { } map, Outcome.Scores: { } scores })
        {
            return new ExplainedScore(explained.Outcome, null);
        }

        var attributions = words ? await AttributeWordsAsync(input, scores.Alignment, explained.Features, cancellationToken).ConfigureAwait(false) : null;

        // The image is read again through the one file reader with the engine's byte cap, and decoded by the engine's
        // preprocessor under the operator's caps and the one pixel budget: a file may have changed since it was scored.
        byte[] png;
        try
        {
            var encoded = input.Image.Path is { } path
                ? await ImageFiles.ReadAsync(path, input.Image.Name, engine.MaxImageBytes, cancellationToken).ConfigureAwait(false)
                : input.Image.Bytes.ToArray();
            png = AttentionOverlay.RenderPng(encoded, map, engine.Preprocessor as ImagePreprocessor);
        }
        catch (IpIqaException ex)
        {
            // The item's own failure, as a scoring one is: thrown, it would fail the job as if the worker were at fault.
            return new ExplainedScore(explained.Outcome with { Scores = null, Error = new ResultError(ex.Code, ex.Message) }, null);
        }

        var overlay = stem + Explanation.OverlaySuffix;
        var json = ExplanationJson.Write(input.Image.Name, input.Prompt, engine.Model, scores, map, overlay, attributions);
        return new ExplainedScore(explained.Outcome, new Explanation(png, json) { Words = attributions });
    }

    /// <summary>The prompt's whitespace-separated words, each scored by leaving it out; empty for a one-word prompt.</summary>
    private async Task<IReadOnlyList<WordAttribution>> AttributeWordsAsync(ScorerInput input, double alignment, ImageFeatures? features, CancellationToken cancellationToken)
    {
        var split = WordAttribution.Split(input.Prompt);
        if (split.Length < 2)
        {
            return [];
        }

        var variants = split.Select((_, i) => WordAttribution.Without(split, i)).ToArray();
        IReadOnlyList<Scores?> scores = features is not null
            ? await engine.ScorePromptsAsync(features, variants, cancellationToken).ConfigureAwait(false)
            : [.. (await Task.WhenAll(variants.Select(v => engine.ScoreAsync(input with { Prompt = v }, cancellationToken))).ConfigureAwait(false)).Select(o => o.Scores)];
        return [.. split.Select((word, i) => scores[i] is { } s ? new WordAttribution(word, s.Alignment, alignment - s.Alignment) : new WordAttribution(word, null, null))];
    }
}
