using System.Collections.Concurrent;
using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>
/// Scores with <see cref="FakeScorer"/> and explains each scored item with fixed bytes naming its stem; asked for words,
/// scores each variant with the word left out through the same scorer, as the engine's explainer does.
/// </summary>
public sealed class FakeExplainer(FakeScorer scorer, string? unavailable = null) : IImageExplainer
{
    public ConcurrentQueue<string> Stems { get; } = new();

    public string? Unavailable => unavailable;

    public ConcurrentQueue<bool> WordsAsked { get; } = new();

    public async Task<ExplainedScore> ScoreExplainedAsync(ScorerInput input, string stem, bool words, CancellationToken cancellationToken)
    {
        Stems.Enqueue(stem);
        WordsAsked.Enqueue(words);
        var outcome = await scorer.ScoreAsync(input, cancellationToken);
        if (!outcome.IsSuccess)
        {
            return new ExplainedScore(outcome, null);
        }

        List<WordAttribution>? attributions = null;
        if (words)
        {
            var split = WordAttribution.Split(input.Prompt);
            attributions = [];
            for (var i = 0; i < split.Length; i++)
            {
                var without = (await scorer.ScoreAsync(input with { Prompt = WordAttribution.Without(split, i) }, cancellationToken)).Scores!.Alignment;
                attributions.Add(new WordAttribution(split[i], without, outcome.Scores!.Alignment - without));
            }
        }

        var json = Encoding.UTF8.GetBytes($"{{\"overlay\":\"{stem}{Explanation.OverlaySuffix}\"}}");
        return new ExplainedScore(outcome, new Explanation([0x89, 0x50, 0x4E, 0x47], json) { Words = attributions });
    }
}
