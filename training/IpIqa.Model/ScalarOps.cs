using TorchSharp;
using static TorchSharp.torch;

namespace IpIqa.Model;

/// <summary>
/// Tensor arithmetic with numbers whose TorchSharp <see cref="Scalar"/> stays alive over the native call.
/// A number passed where TorchSharp wants a Scalar (<c>t * 0.5</c>, <c>t / d</c>, <c>1 - t</c>, and the
/// alpha of 1 behind <c>a + b</c>) becomes a temporary Scalar whose last managed use is reading its
/// handle; a garbage collection during the P/Invoke (other threads allocate, e.g. the parallel image
/// decoding) may then finalize it, freeing the native c10::Scalar while libtorch still reads it
/// ("Expected false to be true ... toFloat at c10/core/Scalar.h"). Here each Scalar is either static
/// (rooted for the life of the process, never disposed) or disposed only after the call returns.
/// </summary>
public static class ScalarOps
{
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> with a rooted alpha of 1.</summary>
    public static Tensor Plus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, One);
    }

    /// <summary><paramref name="tensor"/> * <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><paramref name="tensor"/> / <paramref name="value"/>.</summary>
    public static Tensor Over(this Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary><paramref name="value"/> - <paramref name="tensor"/>.</summary>
    public static Tensor Minus(double value, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = value.ToScalar();
        using var negated = tensor.neg();
        return negated.add(scalar, One);
    }

    /// <summary><paramref name="tensor"/> clamped to at most <paramref name="max"/>.</summary>
    public static Tensor AtMost(this Tensor tensor, double max)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = max.ToScalar();
        return tensor.clamp_max(scalar);
    }

    /// <summary>The boolean mask <paramref name="tensor"/> &lt; <paramref name="value"/>.</summary>
    public static Tensor Below(this Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scalar = value.ToScalar();
        return tensor.lt(scalar);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device device)
    {
        using var scalar = value.ToScalar();
        return full(shape, scalar, dtype: dtype, device: device);
    }
}
