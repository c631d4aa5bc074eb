using IpIqa.Core.Jobs;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>A queue transport needs somewhere durable (or a reply) to put results; the rules name the keys.</summary>
public sealed class SinkOptionsValidator(IOptions<TransportOptions> transport) : IValidateOptions<SinkOptions>
{
    public ValidateOptionsResult Validate(string? name, SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = transport.Value.Kind;
        var durable = options.BlobTags || options.Table.Enabled || !string.IsNullOrWhiteSpace(options.File.Path);
        return kind switch
        {
            TransportKind.StorageQueue when !durable => ValidateOptionsResult.Fail(
                "IpIqa:Transport:Kind=StorageQueue has nowhere to write results: set IpIqa:Sinks:Table:Enabled=true, IpIqa:Sinks:BlobTags=true or IpIqa:Sinks:File:Path."),
            TransportKind.ServiceBus when !durable && !options.Reply => ValidateOptionsResult.Fail(
                "IpIqa:Transport:Kind=ServiceBus has nowhere to write results: set IpIqa:Sinks:Reply=true, IpIqa:Sinks:Table:Enabled=true, IpIqa:Sinks:BlobTags=true or IpIqa:Sinks:File:Path."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
