using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using IpIqa.Inference;
using IpIqa.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>Turns a configuration error at start into one line per problem, each naming its key, for stderr.</summary>
public static partial class StartupFailure
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
                [DescribeConversion(binding.Message)],
            _ => null,
        };
        message = failures is null ? null : "The worker's configuration is not valid:" + string.Concat(failures.Select(f => Environment.NewLine + "  " + f));
        return message is not null;
    }

    /// <summary>The binder's message, or for an enum key the values it takes: "IpIqa:Transport:Kind 'Htp' is not one of Local, ServiceBus, ...".</summary>
    private static string DescribeConversion(string message)
    {
        var match = ConversionPattern().Match(message);
        return match.Success && WorkerConfigurationSchema.TypeOf(match.Groups["key"].Value) is { IsEnum: true } type
            ? $"{match.Groups["key"].Value} '{match.Groups["value"].Value}' is not one of {string.Join(", ", Enum.GetNames(type))}."
            : message;
    }

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type ", RegexOptions.Singleline)]
    private static partial Regex ConversionPattern();
}
