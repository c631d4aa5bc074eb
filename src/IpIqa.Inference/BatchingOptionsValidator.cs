using IpIqa.Core.Batching;
using Microsoft.Extensions.Options;

namespace IpIqa.Inference;

/// <summary>Validates the <c>IpIqa:Batching</c> section with the batcher's own rules.</summary>
public sealed class BatchingOptionsValidator : IValidateOptions<DynamicBatcherOptions>
{
    public const string SectionName = "IpIqa:Batching";

    public ValidateOptionsResult Validate(string? name, DynamicBatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return ValidateOptionsResult.Fail($"{SectionName}:{ex.ParamName} is {ex.ActualValue}: {ex.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}
