using Microsoft.Extensions.Options;

namespace IpIqa.Azure.StorageQueues;

/// <summary>Cross-field rules of <see cref="StorageQueueOptions"/>, with messages that name the keys.</summary>
public sealed class StorageQueueOptionsValidator : IValidateOptions<StorageQueueOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.QueueServiceUri is null && !options.UsesConnectionString)
        {
            failures.Add("IpIqa:Transport:Kind=StorageQueue requires IpIqa:StorageQueue:QueueServiceUri or IpIqa:StorageQueue:ConnectionString.");
        }

        if (options.QueueServiceUri is { IsAbsoluteUri: false })
        {
            failures.Add($"IpIqa:StorageQueue:QueueServiceUri must be an absolute URI; it is '{options.QueueServiceUri}'.");
        }

        if (options.VisibilityTimeout < TimeSpan.FromSeconds(2) || options.VisibilityTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"IpIqa:StorageQueue:VisibilityTimeout must be between 00:00:02 and 7.00:00:00; it is {options.VisibilityTimeout}.");
        }

        if (string.Equals(options.QueueName, options.PoisonQueueName, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"IpIqa:StorageQueue:PoisonQueueName must differ from IpIqa:StorageQueue:QueueName ('{options.QueueName}').");
        }

        if (options.MaxPollInterval <= TimeSpan.Zero || options.MaxPollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"IpIqa:StorageQueue:MaxPollInterval must be above zero and at most 00:01:00; it is {options.MaxPollInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
