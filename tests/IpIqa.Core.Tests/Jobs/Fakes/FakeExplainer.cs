using System.Collections.Concurrent;
using System.Text;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>Scores with <see cref="FakeScorer"/> and explains each scored item with fixed bytes naming its stem.</summary>
public sealed class FakeExplainer(FakeScorer scorer, string? unavailable = null) : IImageExplainer
{
    public ConcurrentQueue<string> Stems { get; } = new();

    public string? Unavailable => unavailable;

    public async Task<ExplainedScore> ScoreExplainedAsync(ScorerInput input, string stem, CancellationToken cancellationToken)
    {
        Stems.Enqueue(stem);
        var outcome = await scorer.ScoreAsync(input, cancellationToken);
        return new ExplainedScore(outcome, outcome.IsSuccess ? new Explanation([0x89, 0x50, 0x4E, 0x47], Encoding.UTF8.GetBytes($"{{\"overlay\":\"{stem}{Explanation.OverlaySuffix}\"}}")) : null);
    }
}
