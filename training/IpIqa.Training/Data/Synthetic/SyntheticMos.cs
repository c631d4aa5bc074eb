namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// The noise-free ("true") MOS of a synthetic image on the 0–5 scale, derived from its controls.
/// The formulas are documented in docs/synthetic-data.md; change both together.
/// </summary>
public static class SyntheticMos
{
    public const double Floor = 0.5;
    public const double Span = 4.5;
    public const double Max = Floor + Span;

    /// <summary>q = 0.5 + 4.5 · Π (1 − wᵢ·sᵢ) over blur, noise, JPEG, posterise and downscale severities.</summary>
    public static double Quality(QualityControls q)
    {
        ArgumentNullException.ThrowIfNull(q);
        var kept = (1 - (0.75 * BlurSeverity(q)))
            * (1 - (0.60 * NoiseSeverity(q)))
            * (1 - (0.55 * JpegSeverity(q)))
            * (1 - (0.50 * PosterizeSeverity(q)))
            * (1 - (0.65 * DownscaleSeverity(q)));
        return Floor + (Span * kept);
    }

    /// <summary>
    /// a = 0.5 + 4.5 · Π (1 − dᵢ) · v: the deviations dᵢ (colour 0.35, object 0.5, 0.12 per count unit,
    /// position 0.25, style 0.15, missing object 0.9) and a visibility term v = 1 − 0.2 · max(blur, downscale severity).
    /// </summary>
    public static double Alignment(AlignmentControls a, QualityControls q)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(q);
        var kept = a.MissingObject
            ? 0.1
            : (a.WrongColor ? 0.65 : 1.0)
              * (a.WrongObject ? 0.5 : 1.0)
              * (1 - (0.12 * Math.Min(Math.Abs(a.CountError), 3)))
              * (a.WrongPosition ? 0.75 : 1.0)
              * (a.WrongStyle ? 0.85 : 1.0);
        var visibility = 1 - (0.2 * Math.Max(BlurSeverity(q), DownscaleSeverity(q)));
        return Floor + (Span * kept * visibility);
    }

    public static double BlurSeverity(QualityControls q) => 1 - Math.Exp(-Math.Max(q.BlurSigma, 0) / 1.5);

    public static double NoiseSeverity(QualityControls q) => 1 - Math.Exp(-Math.Max(q.NoiseSigma, 0) / 25);

    public static double JpegSeverity(QualityControls q) => q.JpegQuality is { } jq ? Math.Clamp((95.0 - jq) / 90.0, 0, 1) : 0;

    public static double PosterizeSeverity(QualityControls q) =>
        q.PosterizeLevels is { } levels ? Math.Clamp((8 - Math.Log2(Math.Max(levels, 2))) / 7, 0, 1) : 0;

    public static double DownscaleSeverity(QualityControls q) => 1 - (1 / Math.Max(q.DownscaleFactor, 1));
}
