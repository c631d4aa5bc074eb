using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Inference.Tests.Fakes;

/// <summary>"Images" are one byte: its value fills the tensor. Byte 0 is undecodable; byte 255 decodes to the poison pixel.</summary>
internal sealed class FakePreprocessor : IImagePreprocessor
{
    private int _calls;

    public int Calls => _calls;

    public void Preprocess(ReadOnlySpan<byte> encoded, PreprocessSpec spec, Span<float> destination)
    {
        Interlocked.Increment(ref _calls);
        Assert.Equal(spec.TensorLength, destination.Length);
        if (encoded[0] == 0)
        {
            throw new IpIqaException(ErrorCodes.ImageUndecodable, "byte 0 is not an image");
        }

        destination.Fill(encoded[0] == 255 ? FakeModelSession.PoisonPixel : encoded[0]);
    }
}
