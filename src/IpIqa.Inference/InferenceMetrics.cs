using System.Diagnostics.Metrics;

namespace IpIqa.Inference;

/// <summary>The inference layer's instruments on the <c>IpIqa</c> meter.</summary>
public sealed class InferenceMetrics : IDisposable
{
    /// <summary>The same meter as the job pipeline's, so one exporter registration covers both.</summary>
    public const string MeterName = Core.Jobs.JobMetrics.Name;

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _textCacheHits;
    private readonly Counter<long> _textCacheMisses;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _itemsScored;
    private readonly Counter<long> _itemsFailed;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _deviceFaults;

    public InferenceMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _textCacheHits = _meter.CreateCounter<long>("ipiqa.text_cache.hits", description: "Prompts whose text features came from the cache.");
        _textCacheMisses = _meter.CreateCounter<long>("ipiqa.text_cache.misses", description: "Prompts that ran through the text graph.");
        _batchSize = _meter.CreateHistogram<int>("ipiqa.batch.size", description: "Images per image-graph run.");
        _batchDuration = _meter.CreateHistogram<double>("ipiqa.batch.duration", unit: "ms", description: "Wall time of one batch (text misses and image graph).");
        _itemsScored = _meter.CreateCounter<long>("ipiqa.items.scored", description: "Images scored.");
        _itemsFailed = _meter.CreateCounter<long>("ipiqa.items.failed", description: "Images that failed, by error code.");
        _inFlight = _meter.CreateUpDownCounter<long>("ipiqa.images.in_flight", description: "Images being read, preprocessed, queued for a batch or scored.");
        _deviceFaults = _meter.CreateCounter<long>("ipiqa.device.faults", description: "Model runs that failed through the device or runtime (the worker's fault, not the job's).");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter => _meter;

    public void TextCacheHit() => _textCacheHits.Add(1);

    public void TextCacheMiss() => _textCacheMisses.Add(1);

    public void BatchRan(int size, TimeSpan duration)
    {
        _batchSize.Record(size);
        _batchDuration.Record(duration.TotalMilliseconds);
    }

    public void ItemScored() => _itemsScored.Add(1);

    public void ImageStarted() => _inFlight.Add(1);

    public void ImageFinished() => _inFlight.Add(-1);

    public void DeviceFault() => _deviceFaults.Add(1);

    public void ItemFailed(string code) => _itemsFailed.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
