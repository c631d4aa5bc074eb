namespace IpIqa.Rescoring;

/// <summary>
/// The prompts whose images are rejected most, in memory bounded by <see cref="Counters"/> however many
/// images and prompts a run has: the Space-Saving sketch (Metwally, Agrawal and El Abbadi, 2005). It
/// keeps that many prompts with a count each; an unseen prompt replaces the smallest count and inherits
/// it as its possible overcount. Every prompt rejected more than N/<see cref="Counters"/> times (N: all
/// rejections) is kept, and a kept count exceeds the true one by at most its stated error. Chosen over a
/// count-min sketch, which needs the prompts kept beside it to list them, and over an external sort by
/// prompt, which costs another pass and disk of the run's size (#15).
/// </summary>
internal sealed class PromptHeavyHitters
{
    public const int Counters = 1024;

    private readonly Dictionary<string, (long Count, long Error)> _counts = new(StringComparer.Ordinal);
    private readonly SortedSet<(long Count, string Prompt)> _byCount = new(Comparer<(long Count, string Prompt)>.Create(
        static (x, y) => x.Count != y.Count ? x.Count.CompareTo(y.Count) : string.CompareOrdinal(x.Prompt, y.Prompt)));

    /// <summary>All rejections counted.</summary>
    public long Total { get; private set; }

    public void Add(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        Total++;
        if (_counts.TryGetValue(prompt, out var kept))
        {
            _byCount.Remove((kept.Count, prompt));
            Set(prompt, kept.Count + 1, kept.Error);
            return;
        }

        if (_counts.Count < Counters)
        {
            Set(prompt, 1, 0);
            return;
        }

        var smallest = _byCount.Min;
        _byCount.Remove(smallest);
        _counts.Remove(smallest.Prompt);
        Set(prompt, smallest.Count + 1, smallest.Count);
    }

    /// <summary>The <paramref name="count"/> prompts with the highest counts (ties in reverse ordinal order of the prompt), each with its count and possible overcount.</summary>
    public IReadOnlyList<(string Prompt, long Count, long Error)> Top(int count) =>
        [.. _byCount.Reverse().Take(count).Select(p => (p.Prompt, p.Count, _counts[p.Prompt].Error))];

    private void Set(string prompt, long count, long error)
    {
        _counts[prompt] = (count, error);
        _byCount.Add((count, prompt));
    }
}
