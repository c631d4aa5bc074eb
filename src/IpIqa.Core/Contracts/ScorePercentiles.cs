namespace IpIqa.Core.Contracts;

/// <summary>
/// Where each raw score falls (0 to 100) in the reference run the bundle was calibrated on, rounded
/// to 0.001. Present in results only when the bundle carries a calibration for both outputs.
/// </summary>
public sealed record ScorePercentiles(double Quality, double Alignment)
{
    public ScorePercentiles Rounded() => new(Math.Round(Quality, 3), Math.Round(Alignment, 3));
}
