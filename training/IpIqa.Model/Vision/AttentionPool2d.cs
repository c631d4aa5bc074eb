using IpIqa.Model.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Vision;

/// <summary>
/// CLIP's QKV attention pool: the mean of the feature map, prepended to its cells, with a learnt
/// positional embedding, queries all cells. Registered as <c>attnpool</c>.
/// </summary>
public sealed class AttentionPool2d : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Parameter positional_embedding;
    private readonly Linear k_proj;
    private readonly Linear q_proj;
    private readonly Linear v_proj;
    private readonly Linear c_proj;
#pragma warning restore IDE1006
    private readonly int _heads;

    public AttentionPool2d(int grid, int embedDim, int heads, int outputDim)
        : base(nameof(AttentionPool2d))
    {
        positional_embedding = Parameter(randn(grid * grid + 1, embedDim) / Math.Sqrt(embedDim));
        k_proj = Linear(embedDim, embedDim);
        q_proj = Linear(embedDim, embedDim);
        v_proj = Linear(embedDim, embedDim);
        c_proj = Linear(embedDim, outputDim);
        _heads = heads;
        RegisterComponents();
    }

    /// <summary>N C H W feature map -> N x output_dim.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var tokens = PoolTokens.WithMeanToken(x, positional_embedding); // N (HW+1) C
        var q = q_proj.forward(tokens[.., ..1]);
        var k = k_proj.forward(tokens);
        var v = v_proj.forward(tokens);
        var pooled = ScaledAttention.Attend(q, k, v, _heads); // N 1 C
        return c_proj.forward(pooled).squeeze(1).MoveToOuterDisposeScope();
    }
}
