using Microsoft.Extensions.Options;

namespace IpIqa.Inference;

/// <summary>Cross-field rules of <see cref="ModelOptions"/>; each failure names the key and its value.</summary>
public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BundlePath) && !Directory.Exists(options.BundlePath))
        {
            failures.Add($"{ModelOptions.SectionName}:BundlePath '{options.BundlePath}' is not a folder.");
        }

        if (options.ExecutionProvider == ExecutionProvider.Cpu && options.DeviceId != 0)
        {
            failures.Add($"{ModelOptions.SectionName}:DeviceId is {options.DeviceId} but {ModelOptions.SectionName}:ExecutionProvider is Cpu.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
