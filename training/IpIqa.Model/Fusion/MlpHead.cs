using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Fusion;

/// <summary>The <c>mlp</c> head: dropout, dense, tanh, dropout, out_proj.</summary>
public sealed class MlpHead : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Linear dense;
    private readonly Dropout dropout;
    private readonly Linear out_proj;
#pragma warning restore IDE1006

    public MlpHead(int inputDim, int outputDim, double dropoutRate)
        : base(nameof(MlpHead))
    {
        dense = Linear(inputDim, inputDim);
        dropout = Dropout(dropoutRate);
        out_proj = Linear(inputDim, outputDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = dropout.forward(x);
        x = dense.forward(x).tanh();
        x = dropout.forward(x);
        return out_proj.forward(x).MoveToOuterDisposeScope();
    }
}
