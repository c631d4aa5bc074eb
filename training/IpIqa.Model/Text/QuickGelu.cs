using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Text;

/// <summary>CLIP's GELU approximation: x * sigmoid(1.702 x).</summary>
public sealed class QuickGelu() : Module<Tensor, Tensor>(nameof(QuickGelu))
{
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x * x.Times(1.702).sigmoid()).MoveToOuterDisposeScope();
    }
}
