using IpIqa.Core.Contracts;
using System.Diagnostics;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Runs one batch: text features from the cache, the misses encoded together (each distinct
/// prompt once), then the image graph. Called by the batcher's single loop, so its buffers are reused.
/// </summary>
internal sealed class BatchScorer
{
    private readonly IModelSession _session;
    private readonly TextFeatureCache _cache;
    private readonly InferenceMetrics _metrics;
    private readonly int _qualityIndex;
    private readonly int _alignmentIndex;
    private readonly float[] _textFeatures;
    private readonly float[] _missFeatures;
    private readonly float[] _scores;
    private readonly List<TextCacheKey> _missKeys;
    private readonly List<long[]> _missIds;
    private readonly int[] _missSlot;
    private readonly List<float[]> _pixels;
    private float[]? _attention;

    public BatchScorer(IModelSession session, TextFeatureCache cache, InferenceMetrics metrics)
    {
        _session = session;
        _cache = cache;
        _metrics = metrics;
        _qualityIndex = OutputIndex(session.Outputs, "quality");
        _alignmentIndex = OutputIndex(session.Outputs, "alignment");
        var max = session.MaxBatchSize;
        _textFeatures = new float[max * session.EmbedDim];
        _missFeatures = new float[max * session.EmbedDim];
        _scores = new float[max * session.Outputs.Count];
        _missKeys = new List<TextCacheKey>(max);
        _missIds = new List<long[]>(max);
        _missSlot = new int[max];
        _pixels = new List<float[]>(max);
    }

    public ValueTask<IReadOnlyList<BatchOutput>> RunAsync(IReadOnlyList<PreparedItem> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var count = items.Count;
        var dim = _session.EmbedDim;
        LookUpText(items);
        if (_missIds.Count > 0)
        {
            _session.EncodeText(_missIds, _missFeatures.AsSpan(0, _missIds.Count * dim));
            for (var slot = 0; slot < _missKeys.Count; slot++)
            {
                _cache.Add(_missKeys[slot], _missFeatures.AsSpan(slot * dim, dim));
            }

            for (var i = 0; i < count; i++)
            {
                if (_missSlot[i] >= 0)
                {
                    _missFeatures.AsSpan(_missSlot[i] * dim, dim).CopyTo(_textFeatures.AsSpan(i * dim, dim));
                }
            }
        }

        _pixels.Clear();
        foreach (var item in items)
        {
            _pixels.Add(item.Pixels);
        }

        var outputCount = _session.Outputs.Count;
        var explain = AnyExplain(items);
        var cells = _session.AttentionGrid * _session.AttentionGrid;
        if (explain)
        {
            // Only a batch with an item that asked runs with the attention output bound.
            _attention ??= new float[_session.MaxBatchSize * cells];
            _session.ScoreWithAttention(_pixels, _textFeatures.AsSpan(0, count * dim), _scores.AsSpan(0, count * outputCount), _attention.AsSpan(0, count * cells));
        }
        else
        {
            _session.Score(_pixels, _textFeatures.AsSpan(0, count * dim), _scores.AsSpan(0, count * outputCount));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.BatchRan(count, elapsed);

        var outputs = new BatchOutput[count];
        for (var i = 0; i < count; i++)
        {
            var row = i * outputCount;
            var map = explain && items[i].Explain ? new AttentionMap(_session.AttentionGrid, _attention!.AsSpan(i * cells, cells).ToArray()) : null;
            outputs[i] = new BatchOutput(new Scores(_scores[row + _qualityIndex], _scores[row + _alignmentIndex]), elapsed, count, map);
        }

        return ValueTask.FromResult<IReadOnlyList<BatchOutput>>(outputs);
    }

    private static bool AnyExplain(IReadOnlyList<PreparedItem> items)
    {
        foreach (var item in items)
        {
            if (item.Explain)
            {
                return true;
            }
        }

        return false;
    }

    private void LookUpText(IReadOnlyList<PreparedItem> items)
    {
        _missKeys.Clear();
        _missIds.Clear();
        var dim = _session.EmbedDim;
        for (var i = 0; i < items.Count; i++)
        {
            var key = new TextCacheKey(_session.Identity.Hash, items[i].Ids);
            if (_cache.TryGet(key, _textFeatures.AsSpan(i * dim, dim)))
            {
                _missSlot[i] = -1;
                continue;
            }

            var slot = _missKeys.IndexOf(key);
            if (slot < 0)
            {
                slot = _missKeys.Count;
                _missKeys.Add(key);
                _missIds.Add(items[i].Ids);
            }

            _missSlot[i] = slot;
        }
    }

    private static int OutputIndex(IReadOnlyList<string> outputs, string name)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (string.Equals(outputs[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidDataException($"The model has no '{name}' output (its outputs: {string.Join(", ", outputs)}).");
    }
}
