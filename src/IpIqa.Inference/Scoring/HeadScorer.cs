using IpIqa.Core.Contracts;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Scores one image's kept features against several prompts: text features through the cache, then the head graph,
/// in batches of up to <see cref="IModelSession.MaxBatchSize"/>. The image graph does not run. One caller at a time.
/// </summary>
internal sealed class HeadScorer(IModelSession session, TextFeatureCache cache, BatchScorer scorer)
{
    private readonly TextFeatureLookup _text = new(session, cache);
    private readonly float[] _scores = new float[session.MaxBatchSize * session.Outputs.Count];
    private readonly Lock _gate = new();

    /// <summary>The scores of <paramref name="features"/> with each prompt of <paramref name="ids"/>, in order.</summary>
    public Scores[] Run(ImageFeatures features, long[][] ids)
    {
        var result = new Scores[ids.Length];
        var max = session.MaxBatchSize;
        lock (_gate)
        {
            for (var start = 0; start < ids.Length; start += max)
            {
                var count = Math.Min(max, ids.Length - start);
                var text = _text.Get(ids.AsSpan(start, count));
                var scores = _scores.AsSpan(0, count * session.Outputs.Count);
                session.ScoreFeatures([.. Enumerable.Repeat(features, count)], text, scores);
                for (var i = 0; i < count; i++)
                {
                    result[start + i] = scorer.ScoresOf(scores, i);
                }
            }
        }

        return result;
    }
}
