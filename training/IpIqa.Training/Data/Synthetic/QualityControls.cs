namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// The quality degradations applied to one rendered image. Neutral values mean "not applied":
/// blur 0, noise 0, no JPEG quality, no posterise levels, downscale factor 1.
/// </summary>
/// <param name="BlurSigma">Gaussian blur sigma in pixels at 64 px (scaled with the image size).</param>
/// <param name="NoiseSigma">Gaussian noise sigma in 0–255 units, per channel.</param>
/// <param name="JpegQuality">JPEG quality 1–100 of a compression round trip, or null.</param>
/// <param name="PosterizeLevels">Levels per channel (2–255) of colour banding, or null.</param>
/// <param name="DownscaleFactor">Downscale-then-upscale factor (≥ 1) that removes detail.</param>
public sealed record QualityControls(double BlurSigma = 0, double NoiseSigma = 0, int? JpegQuality = null, int? PosterizeLevels = null, double DownscaleFactor = 1)
{
    public static QualityControls None { get; } = new();

    /// <summary>A short description for the data table, such as "blur:1.20 jpeg:30", or "clean".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (BlurSigma > 0)
        {
            parts.Add(FormattableString.Invariant($"blur:{BlurSigma:0.00}"));
        }

        if (NoiseSigma > 0)
        {
            parts.Add(FormattableString.Invariant($"noise:{NoiseSigma:0.0}"));
        }

        if (JpegQuality is { } q)
        {
            parts.Add(FormattableString.Invariant($"jpeg:{q}"));
        }

        if (PosterizeLevels is { } l)
        {
            parts.Add(FormattableString.Invariant($"posterize:{l}"));
        }

        if (DownscaleFactor > 1)
        {
            parts.Add(FormattableString.Invariant($"downscale:{DownscaleFactor:0.00}"));
        }

        return parts.Count == 0 ? "clean" : string.Join(' ', parts);
    }
}
