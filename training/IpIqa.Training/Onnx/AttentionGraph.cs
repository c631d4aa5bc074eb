namespace IpIqa.Training.Onnx;

/// <summary>Scaled dot-product multi-head attention on already projected queries, keys and values.</summary>
internal static class AttentionGraph
{
    /// <summary>
    /// <paramref name="q"/> [N, Lq, C], <paramref name="k"/> and <paramref name="v"/> [N, Lk, C] → [N, Lq, C].
    /// <paramref name="mask"/> is an additive [Lq, Lk] mask (the causal mask of the text tower).
    /// </summary>
    public static OnnxValue MultiHead(GraphBuilder g, OnnxValue q, OnnxValue k, OnnxValue v, int width, int heads, OnnxValue? mask = null) =>
        MultiHeadWithWeights(g, q, k, v, width, heads, mask).Context;

    /// <summary>
    /// <see cref="MultiHead"/>, also returning the attention weights [N, H, Lq, Lk]: the output of the
    /// Softmax the context is computed from, so reading them adds no pass.
    /// </summary>
    public static (OnnxValue Context, OnnxValue Weights) MultiHeadWithWeights(
        GraphBuilder g, OnnxValue q, OnnxValue k, OnnxValue v, int width, int heads, OnnxValue? mask = null)
    {
        var headDim = width / heads;
        q = g.Transpose(g.Reshape(q, 0, 0, heads, headDim), 0, 2, 1, 3); // N Lq C -> N H Lq D
        k = g.Transpose(g.Reshape(k, 0, 0, heads, headDim), 0, 2, 3, 1); // N Lk C -> N H D Lk
        v = g.Transpose(g.Reshape(v, 0, 0, heads, headDim), 0, 2, 1, 3); // N Lk C -> N H Lk D
        var scores = g.Mul(g.MatMul(q, k), g.Scalar((float)(1.0 / Math.Sqrt(headDim)))); // N H Lq Lk
        if (mask is { } additive)
        {
            scores = g.Add(scores, additive);
        }

        var weights = g.Softmax(scores); // N H Lq Lk
        var context = g.MatMul(weights, v); // N H Lq D
        return (g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, 0, width), weights); // N Lq C
    }
}
