using IpIqa.Model.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Text;

/// <summary>
/// Multi-head self-attention with PyTorch <c>nn.MultiheadAttention</c>'s parameter names
/// (<c>in_proj_weight</c> holds q, k and v stacked; <c>out_proj</c>), batch-first.
/// </summary>
public sealed class SelfAttention : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly Linear out_proj;
#pragma warning restore IDE1006
    private readonly int _heads;

    public SelfAttention(int width, int heads)
        : base(nameof(SelfAttention))
    {
        in_proj_weight = Parameter(empty(3 * width, width));
        in_proj_bias = Parameter(zeros(3 * width));
        init.xavier_uniform_(in_proj_weight);
        out_proj = Linear(width, width);
        init.zeros_(out_proj.bias!);
        _heads = heads;
        RegisterComponents();
    }

    /// <summary>x: N L D; mask: L x L additive (-inf above the diagonal) -> N L D.</summary>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var qkv = functional.linear(x, in_proj_weight, in_proj_bias).chunk(3, -1);
        var context = ScaledAttention.Attend(qkv[0], qkv[1], qkv[2], _heads, mask);
        return out_proj.forward(context).MoveToOuterDisposeScope();
    }
}
