using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Tests.Support;

/// <summary>A model run that cannot be cancelled: it takes <c>duration</c> and then scores, whatever the token says.</summary>
public sealed class SlowModel(TimeSpan duration, int expected) : IImageScorer
{
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    /// <summary>Completes once <c>expected</c> runs have started.</summary>
    public Task AllStarted => _allStarted.Task;

    public ModelInfo Model { get; } = new("slow-model", "0.0.1", "0123456789ab");

    public async Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _started) >= expected)
        {
            _allStarted.TrySetResult();
        }

        await Task.Delay(duration, CancellationToken.None);
        return new ScorerOutcome(new Scores(0.5, 0.5), null, new ScoreTimings(TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.Zero, duration, duration, expected));
    }
}
