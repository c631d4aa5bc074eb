using IpIqa.Core.Calibration;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>Each threshold is a finite number or a percentile <c>p0</c>..<c>p100</c>. Whether the bundle can resolve a percentile is checked when the model loads.</summary>
public sealed class ThresholdOptionsValidator : IValidateOptions<ThresholdOptions>
{
    public ValidateOptionsResult Validate(string? name, ThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.Quality, "Quality", failures);
        Check(options.Alignment, "Alignment", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string? value, string output, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        try
        {
            ThresholdSpec.Parse(value, $"{ThresholdOptions.SectionName}:{output}");
        }
        catch (FormatException ex)
        {
            failures.Add(ex.Message);
        }
    }
}
