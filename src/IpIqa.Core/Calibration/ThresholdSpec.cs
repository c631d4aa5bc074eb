using System.Globalization;

namespace IpIqa.Core.Calibration;

/// <summary>
/// A threshold as given on the command line: a raw score (<c>0.42</c>) or a percentile of the
/// bundle's calibration (<c>p20</c>), resolved to a raw score with <see cref="Resolve"/>.
/// </summary>
public sealed record ThresholdSpec(double Value, bool IsPercentile)
{
    /// <exception cref="FormatException">Neither a number nor <c>pNN</c> with 0 ≤ NN ≤ 100; the message names <paramref name="option"/>.</exception>
    public static ThresholdSpec Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var percentile = trimmed.StartsWith('p') || trimmed.StartsWith('P');
        var number = percentile ? trimmed[1..] : trimmed;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new FormatException($"{option} '{text}' is neither a score (e.g. 0.42) nor a percentile (e.g. p20).");
        }

        if (percentile && value is < 0 or > 100)
        {
            throw new FormatException($"{option} '{text}': a percentile is between p0 and p100.");
        }

        return new ThresholdSpec(value, percentile);
    }

    /// <summary>The raw threshold: the value itself, or the raw score at the percentile of <paramref name="table"/>.</summary>
    /// <exception cref="InvalidDataException">A percentile with no calibration table; the message names <paramref name="output"/>.</exception>
    public double Resolve(PercentileTable? table, string output)
    {
        if (!IsPercentile)
        {
            return Value;
        }

        return table?.RawAt(Value)
            ?? throw new InvalidDataException($"The {output} threshold p{Value.ToString(CultureInfo.InvariantCulture)} is a percentile, but the model bundle has no calibration; run 'ipiqa calibrate' first or give a raw score.");
    }
}
