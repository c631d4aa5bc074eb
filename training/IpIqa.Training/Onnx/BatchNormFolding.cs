using IpIqa.Training.Weights;

namespace IpIqa.Training.Onnx;

/// <summary>
/// Folds an eval-mode <c>BatchNorm2d</c> into the bias-free convolution before it:
/// <c>w' = w·γ/√(σ²+ε)</c> per output channel and <c>b' = β − μ·γ/√(σ²+ε)</c>.
/// </summary>
internal static class BatchNormFolding
{
    public const double Epsilon = 1e-5;

    public static (TensorData Weight, TensorData Bias) Fold(WeightSet weights, string conv, string bn, long outChannels, long inChannels, long kernel)
    {
        var weight = weights.Require($"{conv}.weight", outChannels, inChannels, kernel, kernel);
        var gamma = weights.Require($"{bn}.weight", outChannels);
        var beta = weights.Require($"{bn}.bias", outChannels);
        var mean = weights.Require($"{bn}.running_mean", outChannels);
        var variance = weights.Require($"{bn}.running_var", outChannels);

        var scale = new double[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            scale[o] = gamma.Floats[o] / Math.Sqrt(variance.Floats[o] + Epsilon);
        }

        var perChannel = inChannels * kernel * kernel;
        var folded = TensorData.CreateFloats(weight.Shape, destination =>
        {
            var source = weight.Floats;
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)(source[i] * scale[i / perChannel]);
            }
        });
        var bias = TensorData.CreateFloats([outChannels], destination =>
        {
            for (var o = 0; o < destination.Length; o++)
            {
                destination[o] = (float)(beta.Floats[o] - (mean.Floats[o] * scale[o]));
            }
        });
        return (folded, bias);
    }
}
