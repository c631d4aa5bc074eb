using IpIqa.Core.Imaging;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Scoring;

namespace IpIqa.Inference.Explain;

/// <summary>
/// The engine as Core's <see cref="IImageExplainer"/>: the request goes through the engine's one batcher with its
/// attention map asked for (<see cref="ScoringEngine.ScoreExplainedAsync"/>), and a scored item's map is drawn over
/// its image (<see cref="AttentionOverlay"/>) and written as JSON (<see cref="ExplanationJson"/>).
/// </summary>
public sealed class EngineExplainer(ScoringEngine engine) : IImageExplainer
{
    public string? Unavailable => engine.CanExplain ? null : ScoringEngine.NoAttentionMessage(engine.Model);

    public async Task<ExplainedScore> ScoreExplainedAsync(ScorerInput input, string stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var explained = await engine.ScoreExplainedAsync(input, cancellationToken).ConfigureAwait(false);
        if (explained is not { Attention: { } map, Outcome.Scores: { } scores })
        {
            return new ExplainedScore(explained.Outcome, null);
        }

        // The image is read again through the one file reader, with the scoring cap: a file may have changed since it was scored.
        var encoded = input.Image.Path is { } path
            ? await ImageFiles.ReadAsync(path, input.Image.Name, ImageLimits.Default.MaxBytes, cancellationToken).ConfigureAwait(false)
            : input.Image.Bytes.ToArray();
        var overlay = stem + Explanation.OverlaySuffix;
        var json = ExplanationJson.Write(input.Image.Name, input.Prompt, engine.Model, scores, map, overlay);
        return new ExplainedScore(explained.Outcome, new Explanation(AttentionOverlay.RenderPng(encoded, map), json));
    }
}
