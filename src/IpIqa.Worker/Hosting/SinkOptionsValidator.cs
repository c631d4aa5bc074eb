using IpIqa.Azure.Blobs;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>A queue transport needs somewhere durable (or a reply) to put results; enabled explanations need exactly one place; the rules name the keys.</summary>
public sealed class SinkOptionsValidator(IOptions<TransportOptions> transport, IOptions<BlobOptions> blob) : IValidateOptions<SinkOptions>
{
    public ValidateOptionsResult Validate(string? name, SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kind = transport.Value.Kind;
        if (ExplainProblem(options.Explain) is { } explain)
        {
            return ValidateOptionsResult.Fail(explain);
        }

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

    private string? ExplainProblem(ExplainSinkOptions explain)
    {
        var folder = !string.IsNullOrWhiteSpace(explain.Folder);
        var container = !string.IsNullOrWhiteSpace(explain.Container);
        if (!explain.Enabled)
        {
            return null;
        }

        if (explain.MaxWords is < 1 or > ExplainSinkOptions.MaxWordsLimit)
        {
            return $"IpIqa:Sinks:Explain:MaxWords={explain.MaxWords} must be between 1 and {ExplainSinkOptions.MaxWordsLimit}.";
        }

        if (folder == container)
        {
            return "IpIqa:Sinks:Explain:Enabled=true needs exactly one of IpIqa:Sinks:Explain:Folder and IpIqa:Sinks:Explain:Container"
                + (folder ? $" (both are set: '{explain.Folder}', '{explain.Container}')." : " (neither is set).");
        }

        return container && !blob.Value.UsesConnectionString && blob.Value.ServiceUri is null
            ? $"IpIqa:Sinks:Explain:Container='{explain.Container}' needs the blob account: set IpIqa:Blob:ServiceUri (or IpIqa:Blob:ConnectionString in development)."
            : null;
    }
}
