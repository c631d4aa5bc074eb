using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IpIqa.Model.Vision;

/// <summary>
/// CLIP's ModifiedResNet trunk (three-convolution stem with an average pool, anti-aliased
/// bottlenecks) without its attention pool: IP-IQA keeps the pool as the sibling <c>attnpool</c>
/// and feeds the feature map to both pools. Registered as <c>resnet50</c>.
/// </summary>
public sealed class ModifiedResNet : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the checkpoint's keys.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly AvgPool2d avgpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
#pragma warning restore IDE1006

    public ModifiedResNet(IReadOnlyList<int> layers, int width)
        : base(nameof(ModifiedResNet))
    {
        conv1 = Conv2d(3, width / 2, 3, stride: 2, padding: 1, bias: false);
        bn1 = BatchNorm2d(width / 2);
        conv2 = Conv2d(width / 2, width / 2, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(width / 2);
        conv3 = Conv2d(width / 2, width, 3, padding: 1, bias: false);
        bn3 = BatchNorm2d(width);
        avgpool = AvgPool2d(2);

        long inplanes = width;
        layer1 = MakeLayer(ref inplanes, width, layers[0], 1);
        layer2 = MakeLayer(ref inplanes, width * 2, layers[1], 2);
        layer3 = MakeLayer(ref inplanes, width * 4, layers[2], 2);
        layer4 = MakeLayer(ref inplanes, width * 8, layers[3], 2);

        RegisterComponents();
    }

    /// <summary>NCHW pixels -> N x (width*32) x H/32 x W/32 feature map.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = functional.relu(bn1.forward(conv1.forward(x)));
        x = functional.relu(bn2.forward(conv2.forward(x)));
        x = functional.relu(bn3.forward(conv3.forward(x)));
        x = avgpool.forward(x);
        x = layer1.forward(x);
        x = layer2.forward(x);
        x = layer3.forward(x);
        x = layer4.forward(x);
        return x.MoveToOuterDisposeScope();
    }

    private static Sequential MakeLayer(ref long inplanes, long planes, int blocks, long stride)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)> { ("0", new Bottleneck(inplanes, planes, stride)) };
        inplanes = planes * Bottleneck.Expansion;
        for (var i = 1; i < blocks; i++)
        {
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), new Bottleneck(inplanes, planes)));
        }

        return Sequential(modules);
    }
}
