using System.Collections.Concurrent;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Scores an item as (its index / 1000, 1 - that) after a yield; can cancel its run after a number of items.</summary>
internal sealed class FakeProcessor(string modelHash = "model-a", int maxInFlight = 8) : IRescoreProcessor
{
    private int _processed;

    public int MaxInFlight => maxInFlight;

    public string ModelHash => modelHash;

    public ConcurrentBag<string> Calls { get; } = [];

    public CancellationTokenSource? CancelAfterSource { get; set; }

    public int CancelAfter { get; set; } = int.MaxValue;

    public bool IsDone(RescoreRecord earlier) => earlier.Status == RescoreRecord.StatusScored;

    public RescoreRecord CarryForward(RescoreRecord earlier, RescoreItem item) => earlier with { Location = item.Location, Skipped = true };

    public async Task<RescoreRecord> ProcessAsync(RescoreItem item, CancellationToken cancellationToken)
    {
        Calls.Add(item.Key);
        await Task.Delay(1, cancellationToken);
        if (Interlocked.Increment(ref _processed) == CancelAfter)
        {
            await CancelAfterSource!.CancelAsync();
        }

        var score = int.Parse(item.Key.AsSpan(4, 5), System.Globalization.CultureInfo.InvariantCulture) / 1000.0;
        return RescoreRecord.For(item, modelHash, RescoreRecord.StatusScored) with { Quality = score, Alignment = 1 - score, Verdict = "pass" };
    }
}
