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
    private readonly TextFeatureLookup _text;
    private readonly InferenceMetrics _metrics;
    private readonly int _qualityIndex;
    private readonly int _alignmentIndex;
    private readonly float[] _scores;
    private readonly List<float[]> _pixels;
    private readonly long[][] _ids;
    private float[]? _attention;

    public BatchScorer(IModelSession session, TextFeatureCache cache, InferenceMetrics metrics)
    {
        _session = session;
        _text = new TextFeatureLookup(session, cache);
        _metrics = metrics;
        _qualityIndex = OutputIndex(session.Outputs, "quality");
        _alignmentIndex = OutputIndex(session.Outputs, "alignment");
        _scores = new float[session.MaxBatchSize * session.Outputs.Count];
        _pixels = new List<float[]>(session.MaxBatchSize);
        _ids = new long[session.MaxBatchSize][];
    }

    public ValueTask<IReadOnlyList<BatchOutput>> RunAsync(IReadOnlyList<PreparedItem> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var count = items.Count;
        _pixels.Clear();
        for (var i = 0; i < count; i++)
        {
            _ids[i] = items[i].Ids;
            _pixels.Add(items[i].Pixels);
        }

        var textFeatures = _text.Get(_ids.AsSpan(0, count));

        var outputCount = _session.Outputs.Count;
        var explain = AnyExplain(items);
        var cells = _session.AttentionGrid * _session.AttentionGrid;
        IReadOnlyList<ImageFeatures>? features = null;
        if (explain)
        {
            // Only a batch with an item that asked runs with the attention output (and the image features) bound.
            _attention ??= new float[_session.MaxBatchSize * cells];
            var scores = _scores.AsSpan(0, count * outputCount);
            var attention = _attention.AsSpan(0, count * cells);
            if (items.Any(item => item.KeepFeatures))
            {
                features = _session.ScoreKeepingFeatures(_pixels, textFeatures, scores, attention);
            }
            else
            {
                _session.ScoreWithAttention(_pixels, textFeatures, scores, attention);
            }
        }
        else
        {
            _session.Score(_pixels, textFeatures, _scores.AsSpan(0, count * outputCount));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.BatchRan(count, elapsed);

        var outputs = new BatchOutput[count];
        for (var i = 0; i < count; i++)
        {
            var map = explain && items[i].Explain ? new AttentionMap(_session.AttentionGrid, _attention!.AsSpan(i * cells, cells).ToArray()) : null;
            var kept = items[i].KeepFeatures ? features?[i] : null;
            outputs[i] = new BatchOutput(ScoresOf(_scores, i), elapsed, count, map, kept);
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

    /// <summary>Item <paramref name="index"/>'s scores in a [N, Outputs.Count] buffer.</summary>
    public Scores ScoresOf(ReadOnlySpan<float> scores, int index)
    {
        var row = index * _session.Outputs.Count;
        return new Scores(scores[row + _qualityIndex], scores[row + _alignmentIndex]);
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
