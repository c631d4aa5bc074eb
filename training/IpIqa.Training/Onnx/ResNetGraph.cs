using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// The CLIP ModifiedResNet trunk (<c>resnet50.*</c>) up to, not including, the attention pool:
/// a 3-conv stem, average pooling, and four stages of anti-aliased Bottleneck blocks.
/// Every BatchNorm is folded into the convolution before it.
/// </summary>
internal sealed class ResNetGraph(GraphBuilder g, WeightSet weights)
{
    private const string Prefix = "resnet50";
    private const int Expansion = 4;

    /// <summary>pixels [N, 3, S, S] → features [N, 32·width, S/32, S/32].</summary>
    public OnnxValue Forward(OnnxValue pixels, int width, IReadOnlyList<int> layers)
    {
        g.Scope = $"{Prefix}.stem";
        var x = g.Relu(ConvBn(pixels, $"{Prefix}.conv1", $"{Prefix}.bn1", width / 2, 3, 3, stride: 2, padding: 1));
        x = g.Relu(ConvBn(x, $"{Prefix}.conv2", $"{Prefix}.bn2", width / 2, width / 2, 3, padding: 1));
        x = g.Relu(ConvBn(x, $"{Prefix}.conv3", $"{Prefix}.bn3", width, width / 2, 3, padding: 1));
        x = g.AveragePool(x, 2);

        var inplanes = width;
        for (var stage = 0; stage < 4; stage++)
        {
            var planes = width << stage;
            for (var block = 0; block < layers[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Bottleneck(x, $"{Prefix}.layer{stage + 1}.{block}", inplanes, planes, stride);
                inplanes = planes * Expansion;
            }
        }

        g.Scope = "";
        return x;
    }

    private OnnxValue Bottleneck(OnnxValue x, string name, int inplanes, int planes, int stride)
    {
        g.Scope = name;
        var output = g.Relu(ConvBn(x, $"{name}.conv1", $"{name}.bn1", planes, inplanes, 1));
        output = g.Relu(ConvBn(output, $"{name}.conv2", $"{name}.bn2", planes, planes, 3, padding: 1));
        if (stride > 1)
        {
            output = g.AveragePool(output, stride);
        }

        output = ConvBn(output, $"{name}.conv3", $"{name}.bn3", planes * Expansion, planes, 1);

        var identity = x;
        if (stride > 1 || inplanes != planes * Expansion)
        {
            // downsample: "-1" AvgPool2d(stride), "0" 1×1 conv, "1" BatchNorm2d.
            var pooled = stride > 1 ? g.AveragePool(x, stride) : x;
            identity = ConvBn(pooled, $"{name}.downsample.0", $"{name}.downsample.1", planes * Expansion, inplanes, 1);
        }

        return g.Relu(g.Add(output, identity));
    }

    private OnnxValue ConvBn(OnnxValue x, string conv, string bn, int outChannels, int inChannels, int kernel, int stride = 1, int padding = 0)
    {
        var (weight, bias) = BatchNormFolding.Fold(weights, conv, bn, outChannels, inChannels, kernel);
        return g.Conv(
            x,
            g.Initializer($"{conv}.weight+{bn}", weight),
            g.Initializer($"{conv}.bias+{bn}", bias),
            kernel,
            stride,
            padding);
    }
}
