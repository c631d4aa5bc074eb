using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Tests;

/// <summary>CLIP's published per-channel statistics (openai/CLIP <c>_transform</c>), the model's normalisation.</summary>
internal static class ClipNormalisation
{
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    public static PreprocessSpec Spec(int size) => new(size, Mean, Std);

    /// <summary>Back to the 0–255 scale: (x · std + mean) · 255.</summary>
    public static double ToByteScale(float value, int channel) => ((value * Std[channel]) + Mean[channel]) * 255.0;
}
