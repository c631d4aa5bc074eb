namespace IpIqa.Core.Jobs;

/// <summary>
/// Scores one pair like <see cref="IImageScorer"/>, through the same model and batcher, and also says where the
/// prompt looked (an attention overlay and the raw map). Only requests that ask for it take this path.
/// </summary>
public interface IImageExplainer
{
    /// <summary>Null when the model can explain; otherwise why not (a bundle without the attention output).</summary>
    string? Unavailable { get; }

    /// <summary>
    /// Scores <paramref name="input"/>; the explanation's JSON names the overlay <c><paramref name="stem"/> + <see cref="Explanation.OverlaySuffix"/></c>.
    /// With <paramref name="words"/>, each whitespace-separated prompt word is also left out in turn and the variant scored
    /// (<see cref="Explanation.Words"/>): one more text-tower and head run per word (a whole model run without a head graph), so the caller bounds the words.
    /// </summary>
    Task<ExplainedScore> ScoreExplainedAsync(ScorerInput input, string stem, bool words, CancellationToken cancellationToken);
}
