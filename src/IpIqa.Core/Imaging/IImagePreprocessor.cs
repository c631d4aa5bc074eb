namespace IpIqa.Core.Imaging;

/// <summary>
/// Decodes an encoded image and writes its normalised CHW tensor. Implementations are thread-safe.
/// Failures throw <see cref="Errors.IpIqaException"/> with a stable code
/// (<c>image_empty</c>, <c>image_too_large</c>, <c>image_unsupported_format</c>, <c>image_undecodable</c>, <c>image_truncated</c>).
/// </summary>
public interface IImagePreprocessor
{
    /// <summary>Writes <see cref="PreprocessSpec.TensorLength"/> floats into <paramref name="destination"/>.</summary>
    void Preprocess(ReadOnlySpan<byte> encoded, PreprocessSpec spec, Span<float> destination);
}
