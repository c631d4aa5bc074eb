using IpIqa.Imaging.Decoding;
using IpIqa.Imaging.Resampling;

namespace IpIqa.Imaging.Tests;

public sealed class PillowResamplerTests
{
    public static TheoryData<int, int, int, int> Sizes() => new()
    {
        { 37, 53, 16, 16 },
        { 1024, 768, 224, 224 },
        { 300, 900, 320, 320 },
        { 224, 224, 320, 320 },
        { 5, 3, 224, 224 },
        { 640, 1, 64, 64 },
        { 224, 224, 224, 224 },
        { 224, 100, 224, 224 },
        { 100, 224, 224, 224 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Resize_VectorPath_EqualsScalarPath(int inW, int inH, int outW, int outH) => AssertVectorEqualsScalar(inW, inH, outW, outH, avx512: true);

    /// <summary>On a machine with AVX-512 the default vector path is the AVX-512 one; this keeps the AVX2 one covered.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void Resize_Avx2Path_EqualsScalarPath(int inW, int inH, int outW, int outH) => AssertVectorEqualsScalar(inW, inH, outW, outH, avx512: false);

    private static void AssertVectorEqualsScalar(int inW, int inH, int outW, int outH, bool avx512)
    {
        using var source = RandomImage(inW, inH, seed: inW + inH);
        using var vector = PillowResampler.Resize(source, outW, outH, allowSimd: true, allowAvx512: avx512);
        using var scalar = PillowResampler.Resize(source, outW, outH, allowSimd: false);
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Assert.Equal(scalar.Row(y)[(x * 4) + c], vector.Row(y)[(x * 4) + c]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Resize_StaysWithinRoundingOfAFloatingPointBicubicConvolution(int inW, int inH, int outW, int outH)
    {
        using var source = RandomImage(inW, inH, seed: 3 * inW);
        using var resized = PillowResampler.Resize(source, outW, outH);
        var horizontal = inW == outW ? null : Weights(inW, outW);
        var vertical = inH == outH ? null : Weights(inH, outH);
        for (var c = 0; c < 3; c++)
        {
            // Definition: antialiased bicubic (a = -0.5), horizontal pass clipped to [0, 255], then vertical, in doubles.
            var temp = new double[inH, outW];
            for (var y = 0; y < inH; y++)
            {
                for (var x = 0; x < outW; x++)
                {
                    temp[y, x] = horizontal is null
                        ? source.Row(y)[(x * 4) + c]
                        : Math.Clamp(horizontal[x].Sum(t => t.Weight * source.Row(y)[(t.Index * 4) + c]), 0, 255);
                }
            }

            for (var y = 0; y < outH; y++)
            {
                for (var x = 0; x < outW; x++)
                {
                    var expected = vertical is null ? temp[y, x] : Math.Clamp(vertical[y].Sum(t => t.Weight * temp[t.Index, x]), 0, 255);
                    var actual = resized.Row(y)[(x * 4) + c];

                    // Final rounding (0.5) plus the horizontal pass's 8-bit rounding carried through the vertical weights.
                    var carried = horizontal is null || vertical is null ? 0.0 : 0.5 * vertical[y].Sum(t => Math.Abs(t.Weight));
                    var bound = 0.5 + carried + 1e-3;
                    Assert.True(Math.Abs(actual - expected) <= bound, $"channel {c} at ({x},{y}): {actual} vs definition {expected:F3} (bound {bound:F3})");
                }
            }
        }
    }

    [Fact]
    public void Resize_ConstantImage_StaysConstant()
    {
        using var source = new RgbxImage(613, 419);
        for (var i = 0; i < source.Pixels.Length; i += 4)
        {
            source.Pixels[i] = 200;
            source.Pixels[i + 1] = 7;
            source.Pixels[i + 2] = 255;
        }

        using var resized = PillowResampler.Resize(source, 224, 224);
        for (var i = 0; i < resized.Pixels.Length; i += 4)
        {
            Assert.Equal((byte)200, resized.Pixels[i]);
            Assert.Equal((byte)7, resized.Pixels[i + 1]);
            Assert.Equal((byte)255, resized.Pixels[i + 2]);
        }
    }

    private static (int Index, double Weight)[][] Weights(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var widen = Math.Max(scale, 1.0);
        return Enumerable.Range(0, outSize).Select(o =>
        {
            var center = (o + 0.5) * scale;
            var taps = Enumerable.Range(0, inSize)
                .Select(i => (Index: i, Weight: Cubic((i + 0.5 - center) / widen)))
                .Where(t => t.Weight != 0)
                .ToArray();
            var sum = taps.Sum(t => t.Weight);
            return taps.Select(t => (t.Index, t.Weight / sum)).ToArray();
        }).ToArray();
    }

    // Keys' cubic convolution kernel with a = -0.5.
    private static double Cubic(double x)
    {
        x = Math.Abs(x);
        return x < 1 ? (1.5 * x * x * x) - (2.5 * x * x) + 1
            : x < 2 ? (-0.5 * x * x * x) + (2.5 * x * x) - (4 * x) + 2
            : 0;
    }

    private static RgbxImage RandomImage(int width, int height, int seed)
    {
        var image = new RgbxImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }
}
