using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Text;

/// <summary>Pre-norm transformer block of CLIP's text tower: attention then a QuickGELU MLP, each residual.</summary>
public sealed class ResidualAttentionBlock : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly SelfAttention attn;
    private readonly LayerNorm ln_1;
    private readonly Sequential mlp;
    private readonly LayerNorm ln_2;
#pragma warning restore IDE1006

    public ResidualAttentionBlock(int width, int heads)
        : base(nameof(ResidualAttentionBlock))
    {
        attn = new SelfAttention(width, heads);
        ln_1 = LayerNorm(width);
        mlp = Sequential(
            ("c_fc", Linear(width, width * 4)),
            ("gelu", new QuickGelu()),
            ("c_proj", Linear(width * 4, width)));
        ln_2 = LayerNorm(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        x = x.Plus(attn.forward(ln_1.forward(x), mask));
        x = x.Plus(mlp.forward(ln_2.forward(x)));
        return x.MoveToOuterDisposeScope();
    }
}
