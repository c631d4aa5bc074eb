using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Tests;

/// <summary>CLIP's per-channel statistics, the model's normalisation (from the bundle contract's defaults).</summary>
internal static class ClipNormalisation
{
    public static PreprocessSpec Spec(int size) => new(size, BundleInput.ClipMean, BundleInput.ClipStd);

    /// <summary>Back to the 0–255 scale: (x · std + mean) · 255.</summary>
    public static double ToByteScale(float value, int channel) => ((value * BundleInput.ClipStd[channel]) + BundleInput.ClipMean[channel]) * 255.0;
}
