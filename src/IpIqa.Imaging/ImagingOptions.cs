using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging;

/// <summary>Settings of the image preprocessor (configuration section <c>Imaging</c>).</summary>
public sealed class ImagingOptions
{
    public const string SectionName = "Imaging";

    /// <summary>Caps against hostile or oversized files.</summary>
    [Required]
    public ImageLimits Limits { get; set; } = ImageLimits.Default;

    /// <summary>
    /// Decode JPEG with libjpeg-turbo, WebP with libwebp and PNG with libspng when those libraries load (the default).
    /// They give the reference's exact pixels and are faster; ImageSharp takes over when they are absent.
    /// </summary>
    public bool UseNativeCodecs { get; set; } = true;
}
