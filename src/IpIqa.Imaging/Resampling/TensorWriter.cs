using System.Runtime.CompilerServices;
using IpIqa.Core.Imaging;
using IpIqa.Imaging.Decoding;

namespace IpIqa.Imaging.Resampling;

/// <summary>Writes an RGBX image as CHW float32: each channel's byte v becomes (v / 255 - mean) / std.</summary>
internal static class TensorWriter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(RgbxImage image, PreprocessSpec spec, Span<float> destination)
    {
        var plane = image.Width * image.Height;
        Span<float> lookup = stackalloc float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            var mean = spec.Mean[c];
            var std = spec.Std[c];
            for (var v = 0; v < 256; v++)
            {
                lookup[(c * 256) + v] = ((v / 255f) - mean) / std;
            }
        }

        var red = destination[..plane];
        var green = destination.Slice(plane, plane);
        var blue = destination.Slice(2 * plane, plane);
        var lutR = lookup[..256];
        var lutG = lookup.Slice(256, 256);
        var lutB = lookup.Slice(512, 256);
        var pixels = image.Pixels;
        for (var i = 0; i < plane; i++)
        {
            var p = pixels.Slice(i * 4, 3);
            red[i] = lutR[p[0]];
            green[i] = lutG[p[1]];
            blue[i] = lutB[p[2]];
        }
    }
}
