using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Text;

/// <summary>CLIP's causal text transformer, registered as <c>txt_model</c> (keys <c>txt_model.resblocks.N.*</c>).</summary>
public sealed class TextTransformer : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly ModuleList<ResidualAttentionBlock> resblocks;
#pragma warning restore IDE1006

    public TextTransformer(int width, int layers, int heads)
        : base(nameof(TextTransformer))
    {
        resblocks = new ModuleList<ResidualAttentionBlock>(
            Enumerable.Range(0, layers).Select(_ => new ResidualAttentionBlock(width, heads)).ToArray());
        RegisterComponents();
    }

    /// <summary>N L D -> N L D, each position attending to itself and the positions before it.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var length = x.shape[1];
        var mask = ScalarOps.Filled([length, length], double.NegativeInfinity, x.dtype, x.device).triu(1);
        foreach (var block in resblocks)
        {
            x = block.forward(x, mask);
        }

        return x.MoveToOuterDisposeScope();
    }
}
