using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Vision;

/// <summary>
/// CLIP's anti-aliased ResNet bottleneck: every convolution has stride 1 and a stride above 1 is an
/// average pool after conv2. The shortcut (<c>downsample</c>) is AvgPool2d <c>-1</c>, Conv2d <c>0</c>,
/// BatchNorm2d <c>1</c>, so its keys read <c>downsample.0.weight</c>, <c>downsample.1.running_mean</c>.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    public const int Expansion = 4;

#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Module<Tensor, Tensor> avgpool;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    public Bottleneck(long inplanes, long planes, long stride = 1)
        : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inplanes, planes, 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        avgpool = stride > 1 ? AvgPool2d(stride) : Identity();
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);

        if (stride > 1 || inplanes != planes * Expansion)
        {
            downsample = Sequential(
                ("-1", AvgPool2d(stride)),
                ("0", Conv2d(inplanes, planes * Expansion, 1, bias: false)),
                ("1", BatchNorm2d(planes * Expansion)));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = functional.relu(bn1.forward(conv1.forward(x)));
        output = functional.relu(bn2.forward(conv2.forward(output)));
        output = avgpool.forward(output);
        output = bn3.forward(conv3.forward(output));
        var identity = downsample is null ? x : downsample.forward(x);
        return functional.relu(output.Plus(identity)).MoveToOuterDisposeScope();
    }
}
