using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// The text features of up to <see cref="IModelSession.MaxBatchSize"/> prompts: from the cache, the misses
/// encoded together (each distinct prompt once) and added to it. Its buffers are reused, so one caller at a time.
/// </summary>
internal sealed class TextFeatureLookup
{
    private readonly IModelSession _session;
    private readonly TextFeatureCache _cache;
    private readonly float[] _textFeatures;
    private readonly float[] _missFeatures;
    private readonly List<TextCacheKey> _missKeys;
    private readonly List<long[]> _missIds;
    private readonly int[] _missSlot;

    public TextFeatureLookup(IModelSession session, TextFeatureCache cache)
    {
        _session = session;
        _cache = cache;
        var max = session.MaxBatchSize;
        _textFeatures = new float[max * session.EmbedDim];
        _missFeatures = new float[max * session.EmbedDim];
        _missKeys = new List<TextCacheKey>(max);
        _missIds = new List<long[]>(max);
        _missSlot = new int[max];
    }

    /// <summary>The text features [N, EmbedDim] of the N prompts whose token ids are <paramref name="ids"/>.</summary>
    public ReadOnlySpan<float> Get(ReadOnlySpan<long[]> ids)
    {
        var dim = _session.EmbedDim;
        var count = ids.Length;
        LookUp(ids);
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

        return _textFeatures.AsSpan(0, count * dim);
    }

    private void LookUp(ReadOnlySpan<long[]> ids)
    {
        var count = ids.Length;
        _missKeys.Clear();
        _missIds.Clear();
        var dim = _session.EmbedDim;
        for (var i = 0; i < count; i++)
        {
            var key = new TextCacheKey(_session.Identity.Hash, ids[i]);
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
                _missIds.Add(ids[i]);
            }

            _missSlot[i] = slot;
        }
    }
}
