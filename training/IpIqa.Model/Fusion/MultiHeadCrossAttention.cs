using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Fusion;

/// <summary>Cross-attention with separate query and key/value widths (<c>txt_attnpool.cross_attn</c>).</summary>
public sealed class MultiHeadCrossAttention : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
#pragma warning restore IDE1006
    private readonly int _heads;

    public MultiHeadCrossAttention(int embedDim, int queryDim, int kvDim, int heads, int outputDim)
        : base(nameof(MultiHeadCrossAttention))
    {
        q_proj = Linear(queryDim, embedDim);
        k_proj = Linear(kvDim, embedDim);
        v_proj = Linear(kvDim, embedDim);
        out_proj = Linear(embedDim, outputDim);
        _heads = heads;
        RegisterComponents();
    }

    /// <summary>query: N Lq Dq; keyValue: N Lk Dkv -> N Lq output_dim.</summary>
    public override Tensor forward(Tensor query, Tensor keyValue)
    {
        using var scope = NewDisposeScope();
        var context = ScaledAttention.Attend(q_proj.forward(query), k_proj.forward(keyValue), v_proj.forward(keyValue), _heads);
        return out_proj.forward(context).MoveToOuterDisposeScope();
    }
}
