namespace IpIqa.Core.Imaging;

/// <summary>
/// What a model expects: RGB, resized to <see cref="Size"/>×<see cref="Size"/> with a
/// PIL-compatible bicubic filter, scaled to [0,1], then (x - mean) / std per channel, CHW float32.
/// </summary>
public sealed record PreprocessSpec(int Size, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>Floats one image occupies: 3 × Size × Size.</summary>
    public int TensorLength => 3 * Size * Size;
}
