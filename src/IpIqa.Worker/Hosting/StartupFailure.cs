using System.Diagnostics.CodeAnalysis;
using IpIqa.Inference;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>Turns a configuration error at start into one line per problem, each naming its key, for stderr.</summary>
public static class StartupFailure
{
    public static bool TryDescribe(Exception exception, [NotNullWhen(true)] out string? message)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var failures = exception switch
        {
            OptionsValidationException options => options.Failures,
            AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
                aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures),
            // ExecutionProvider=Cuda where CUDA cannot start (the model loads before the host starts, Program.cs).
            ExecutionProviderUnavailableException unavailable => [unavailable.Message],
            InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
                [binding.Message],
            _ => null,
        };
        message = failures is null ? null : "The worker's configuration is not valid:" + string.Concat(failures.Select(f => Environment.NewLine + "  " + f));
        return message is not null;
    }
}
