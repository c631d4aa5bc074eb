using static TorchSharp.torch;

namespace IpIqa.Model.Fusion;

/// <summary>Multi-head scaled dot-product attention on projected, batch-first tensors.</summary>
internal static class ScaledAttention
{
    /// <summary>
    /// q: N x Lq x E, k and v: N x Lk x E (already projected) -> N x Lq x E.
    /// <paramref name="mask"/>, when given, is added to the scores (Lq x Lk, -inf where masked).
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, int heads, Tensor? mask = null)
    {
        using var scope = NewDisposeScope();
        var (n, lq, e) = (q.shape[0], q.shape[1], q.shape[2]);
        var lk = k.shape[1];
        var headDim = e / heads;

        // N L E -> N heads L headDim
        var qh = q.reshape(n, lq, heads, headDim).transpose(1, 2);
        var kh = k.reshape(n, lk, heads, headDim).transpose(1, 2);
        var vh = v.reshape(n, lk, heads, headDim).transpose(1, 2);

        var scores = matmul(qh, kh.transpose(-2, -1)).Over(Math.Sqrt(headDim));
        if (mask is not null)
        {
            scores = scores.Plus(mask);
        }

        var context = matmul(scores.softmax(-1), vh);

        // N heads Lq headDim -> N Lq E
        return context.transpose(1, 2).reshape(n, lq, e).MoveToOuterDisposeScope();
    }
}
