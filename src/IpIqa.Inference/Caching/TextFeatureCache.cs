namespace IpIqa.Inference.Caching;

/// <summary>
/// A bounded least-recently-used cache of text features keyed by (model hash, token ids), so
/// each prompt runs through the text graph once. Thread-safe. Capacity 0 keeps nothing.
/// </summary>
public sealed class TextFeatureCache(int capacity, InferenceMetrics metrics)
{
    private readonly Dictionary<TextCacheKey, LinkedListNode<Entry>> _entries = new(Math.Min(Math.Max(capacity, 0), 1 << 16));
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _gate = new();
    private long _hits;
    private long _misses;

    public int Capacity { get; } = capacity >= 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity cannot be negative.");

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Copies the cached features of <paramref name="key"/> into <paramref name="destination"/>; counts a hit or a miss.</summary>
    public bool TryGet(in TextCacheKey key, Span<float> destination)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                node.Value.Features.CopyTo(destination);
                Interlocked.Increment(ref _hits);
                metrics.TextCacheHit();
                return true;
            }
        }

        Interlocked.Increment(ref _misses);
        metrics.TextCacheMiss();
        return false;
    }

    /// <summary>Stores a copy of <paramref name="features"/> under <paramref name="key"/>, dropping the least recently used entry when full.</summary>
    public void Add(in TextCacheKey key, ReadOnlySpan<float> features)
    {
        if (Capacity == 0)
        {
            return;
        }

        var entry = new Entry(key, features.ToArray());
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                _recency.Remove(existing);
                _entries.Remove(key);
            }

            if (_entries.Count >= Capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            _entries[key] = _recency.AddFirst(entry);
        }
    }

    private sealed record Entry(TextCacheKey Key, float[] Features);
}
