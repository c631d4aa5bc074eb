namespace IpIqa.Core.Contracts;

/// <summary>
/// Minimum acceptable score per output. A null output is not checked. A request's thresholds
/// override the configured defaults output by output (see <see cref="Over"/>).
/// </summary>
public sealed record Thresholds(double? Quality = null, double? Alignment = null)
{
    public static Thresholds None { get; } = new();

    /// <summary>These thresholds where set, else <paramref name="defaults"/>' value, for each output.</summary>
    public Thresholds Over(Thresholds? defaults) =>
        defaults is null ? this : new Thresholds(Quality ?? defaults.Quality, Alignment ?? defaults.Alignment);
}
