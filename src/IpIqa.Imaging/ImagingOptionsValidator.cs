using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IpIqa.Imaging;

/// <summary>Validates <see cref="ImagingOptions"/> and its nested <see cref="Core.Imaging.ImageLimits"/> at start.</summary>
public sealed class ImagingOptionsValidator : IValidateOptions<ImagingOptions>
{
    public ValidateOptionsResult Validate(string? name, ImagingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Limits is null)
        {
            return ValidateOptionsResult.Fail("Imaging:Limits is required.");
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options.Limits, new ValidationContext(options.Limits), results, validateAllProperties: true);
        var failures = results.Select(r => $"Imaging:Limits: {r.ErrorMessage}").ToList();
        var limits = options.Limits;
        if (limits.MaxPixels * 4 / (1024 * 1024) > limits.MaxDecoderMemoryMegabytes)
        {
            failures.Add($"Imaging:Limits: MaxPixels ({limits.MaxPixels}) needs {limits.MaxPixels * 4 / (1024 * 1024)} MB to decode, more than MaxDecoderMemoryMegabytes ({limits.MaxDecoderMemoryMegabytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
