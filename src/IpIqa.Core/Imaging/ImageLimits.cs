using System.ComponentModel.DataAnnotations;

namespace IpIqa.Core.Imaging;

/// <summary>Limits that keep a hostile or oversized file from taking the process down.</summary>
public sealed record ImageLimits
{
    /// <summary>Largest accepted encoded file, in bytes (default 32 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest accepted width × height, read from the header before decoding (default 64 megapixels).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; init; } = 64L * 1000 * 1000;

    /// <summary>Memory cap for one decode, in megabytes (default 1024).</summary>
    [Range(16, 65536)]
    public int MaxDecoderMemoryMegabytes { get; init; } = 1024;

    /// <summary>
    /// Frame memory the managed (ImageSharp) decoder keeps for reuse, in megabytes (default 32; 0 keeps none).
    /// Without it every frame is a fresh native allocation whose reported memory pressure induces gen-2 collections (#16).
    /// </summary>
    [Range(0, 4096)]
    public int DecoderPoolMegabytes { get; init; } = 32;

    /// <summary>
    /// Decoded pixels all decodes of the process may hold at once; a decode waits until its image fits, and an
    /// image larger than the whole budget is refused. 0 (the default) derives it from the memory the process may use.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long MaxPixelsInFlight { get; init; }

    public static ImageLimits Default { get; } = new();
}
