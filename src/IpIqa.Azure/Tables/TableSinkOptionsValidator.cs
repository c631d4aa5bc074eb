using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tables;

/// <summary>Cross-field rules of <see cref="TableSinkOptions"/>, with messages that name the keys.</summary>
public sealed class TableSinkOptionsValidator : IValidateOptions<TableSinkOptions>
{
    public ValidateOptionsResult Validate(string? name, TableSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Enabled && options.ServiceUri is null && !options.UsesConnectionString)
        {
            return ValidateOptionsResult.Fail("IpIqa:Sinks:Table:Enabled=true requires IpIqa:Sinks:Table:ServiceUri or IpIqa:Sinks:Table:ConnectionString.");
        }

        return ValidateOptionsResult.Success;
    }
}
