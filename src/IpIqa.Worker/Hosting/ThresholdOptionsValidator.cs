using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>Thresholds must be finite numbers.</summary>
public sealed class ThresholdOptionsValidator : IValidateOptions<ThresholdOptions>
{
    public ValidateOptionsResult Validate(string? name, ThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Quality is { } quality && !double.IsFinite(quality))
        {
            failures.Add($"IpIqa:Thresholds:Quality must be a finite number; it is {quality}.");
        }

        if (options.Alignment is { } alignment && !double.IsFinite(alignment))
        {
            failures.Add($"IpIqa:Thresholds:Alignment must be a finite number; it is {alignment}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
