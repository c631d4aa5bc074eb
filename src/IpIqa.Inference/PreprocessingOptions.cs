using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Imaging;

namespace IpIqa.Inference;

/// <summary>The bounded CPU pool that decodes and preprocesses images, and its limits. Section <c>IpIqa:Preprocessing</c>.</summary>
public sealed record PreprocessingOptions
{
    public const string SectionName = "IpIqa:Preprocessing";

    /// <summary>Images decoded at once; 0 follows the container's CPU quota, else one per processor (<see cref="Preprocessing.PreprocessingPoolSize"/>).</summary>
    [Range(0, 1024)]
    public int Parallelism { get; init; }

    /// <summary>Largest accepted image file, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; init; } = ImageLimits.Default.MaxBytes;

    /// <summary>Largest accepted width × height, from the header.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; init; } = ImageLimits.Default.MaxPixels;

    [Range(16, 65536)]
    public int MaxDecoderMemoryMegabytes { get; init; } = ImageLimits.Default.MaxDecoderMemoryMegabytes;

    /// <summary>Frame memory the ImageSharp fallback keeps for reuse, in megabytes; 0 keeps none (docs/imaging.md, Memory).</summary>
    [Range(0, 4096)]
    public int DecoderPoolMegabytes { get; init; } = ImageLimits.Default.DecoderPoolMegabytes;

    /// <summary>
    /// Decoded pixels all images in flight may hold together; 0 derives it from the memory limit
    /// (half of it at 10 bytes a pixel). An image larger than this is <c>image_too_large</c>; others wait for room.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxPixelsInFlight { get; init; } = ImageLimits.Default.MaxPixelsInFlight;

    public ImageLimits ToImageLimits() => new()
    {
        MaxBytes = MaxBytes,
        MaxPixels = MaxPixels,
        MaxDecoderMemoryMegabytes = MaxDecoderMemoryMegabytes,
        DecoderPoolMegabytes = DecoderPoolMegabytes,
        MaxPixelsInFlight = MaxPixelsInFlight,
    };
}
