using System.Diagnostics.Metrics;
using IpIqa.Inference.Caching;

namespace IpIqa.Inference.Tests.Caching;

public sealed class TextFeatureCacheTests : IDisposable
{
    private readonly InferenceMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    private static TextCacheKey Key(string model, params long[] ids) => new(model, ids);

    [Fact]
    public void AStoredPromptIsFound_ByEqualIdsInAnotherArray()
    {
        var cache = new TextFeatureCache(4, _metrics);
        cache.Add(Key("m", 1, 2, 3), [0.5f, 1.5f]);
        var destination = new float[2];

        Assert.True(cache.TryGet(Key("m", 1, 2, 3), destination));
        Assert.Equal([0.5f, 1.5f], destination);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(0, cache.Misses);
    }

    [Fact]
    public void AnotherModelHashDoesNotShareEntries()
    {
        var cache = new TextFeatureCache(4, _metrics);
        cache.Add(Key("model-a", 1, 2), [1f]);

        Assert.False(cache.TryGet(Key("model-b", 1, 2), new float[1]));
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void TheLeastRecentlyUsedEntryIsDroppedWhenFull()
    {
        var cache = new TextFeatureCache(2, _metrics);
        cache.Add(Key("m", 1), [1f]);
        cache.Add(Key("m", 2), [2f]);
        Assert.True(cache.TryGet(Key("m", 1), new float[1]));

        cache.Add(Key("m", 3), [3f]);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet(Key("m", 1), new float[1]));
        Assert.False(cache.TryGet(Key("m", 2), new float[1]));
        Assert.True(cache.TryGet(Key("m", 3), new float[1]));
    }

    [Fact]
    public void CapacityZeroKeepsNothing()
    {
        var cache = new TextFeatureCache(0, _metrics);
        cache.Add(Key("m", 1), [1f]);

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet(Key("m", 1), new float[1]));
    }

    [Fact]
    public void StoredFeaturesAreACopy()
    {
        var cache = new TextFeatureCache(2, _metrics);
        var features = new[] { 4f };
        cache.Add(Key("m", 1), features);
        features[0] = -1f;
        var destination = new float[1];

        cache.TryGet(Key("m", 1), destination);

        Assert.Equal(4f, destination[0]);
    }

    [Fact]
    public void HitsAndMissesArePublishedOnTheIpIqaMeter()
    {
        using var metrics = new InferenceMetrics();
        var cache = new TextFeatureCache(2, metrics);
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, GetMeter(metrics)))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
            {
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        cache.TryGet(Key("m", 1), new float[1]);
        cache.Add(Key("m", 1), [1f]);
        cache.TryGet(Key("m", 1), new float[1]);
        cache.TryGet(Key("m", 1), new float[1]);

        Assert.Equal(InferenceMetrics.MeterName, GetMeter(metrics).Name);
        Assert.Equal(2, counts["ipiqa.text_cache.hits"]);
        Assert.Equal(1, counts["ipiqa.text_cache.misses"]);
    }

    private static Meter GetMeter(InferenceMetrics metrics) => metrics.Meter;
}
