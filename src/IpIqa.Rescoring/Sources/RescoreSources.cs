using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Core.Jobs;

namespace IpIqa.Rescoring;

/// <summary>Builds the source, the queue and the run store a <see cref="RescoreSettings"/> names (connection string for Azurite, else DefaultAzureCredential).</summary>
internal static class RescoreSources
{
    /// <summary>One credential for the source, the queue and the run store, as the worker registers one: tokens are fetched once, not per client.</summary>
    private static readonly Lazy<TokenCredential> Credential = new(() => new DefaultAzureCredential());

    public static IRescoreSource Create(RescoreSettings settings, RequestPacer pacer)
    {
        var given = new[] { settings.Folder, settings.Manifest, settings.Container }.Count(s => s is not null);
        if (given != 1)
        {
            throw new InvalidDataException($"Name exactly one source: --folder, --manifest or --container (got {given}).");
        }

        if (settings.Folder is { } folder)
        {
            return new LocalFolderSource(folder);
        }

        if (settings.Manifest is { } manifest)
        {
            return new ManifestSource(manifest);
        }

        BlobContainerClient container;
        if (settings.ConnectionString is { } connection)
        {
            container = new BlobContainerClient(connection, settings.Container);
        }
        else if (settings.ServiceUri is { } service)
        {
            container = new BlobServiceClient(service, Credential.Value).GetBlobContainerClient(settings.Container);
        }
        else
        {
            throw new InvalidDataException("--container needs --connection-string (Azurite, development) or --service-uri (production, DefaultAzureCredential).");
        }

        return new BlobRescoreSource(container, settings.Prefix, settings.PromptKey, pacer);
    }

    public static IJobQueue CreateQueue(RescoreSettings settings)
    {
        var name = settings.QueueName ?? throw new InvalidDataException("--enqueue needs --queue NAME.");
        switch (settings.QueueKind)
        {
            case TransportKind.StorageQueue:
                var queue = settings.QueueConnectionString is { } connection
                    ? new QueueClient(connection, name)
                    : new QueueClient(new Uri($"{Endpoint(settings).TrimEnd('/')}/{name}"), Credential.Value);
                return new StorageQueueJobQueue(queue);
            case TransportKind.ServiceBus:
                var client = settings.QueueConnectionString is { } busConnection
                    ? new ServiceBusClient(busConnection)
                    : new ServiceBusClient(Endpoint(settings), Credential.Value);
                return new ServiceBusJobQueue(client, name);
            default:
                throw new InvalidDataException($"--queue-kind '{settings.QueueKind.ToArgument()}' has no queue to send to; use storage-queue or service-bus.");
        }
    }

    /// <summary>
    /// The blob run store <c>--runs-container</c> names (null without it), reached with
    /// <c>--connection-string</c> when given (it must then be a container of that account), else
    /// DefaultAzureCredential. Every request it makes takes a slot of <paramref name="pacer"/>.
    /// </summary>
    public static IRunStore? CreateRunStore(RescoreSettings settings, RequestPacer pacer)
    {
        if (settings.RunsContainer is not { } url)
        {
            return null;
        }

        var usage = $"--runs-container '{url}' must be a blob container URL such as https://ACCOUNT.blob.core.windows.net/ipiqa-runs";
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.Query.Length > 0)
        {
            throw new InvalidDataException($"{usage} (no query: it signs in with --connection-string or DefaultAzureCredential).");
        }

        var parts = new BlobUriBuilder(url);
        if (string.IsNullOrEmpty(parts.BlobContainerName) || !string.IsNullOrEmpty(parts.BlobName))
        {
            throw new InvalidDataException($"{usage}.");
        }

        var options = BlobRunStore.ClientOptions(pacer);
        if (settings.ConnectionString is { } connection)
        {
            var container = new BlobServiceClient(connection, options).GetBlobContainerClient(parts.BlobContainerName);
            if (!string.Equals(Trimmed(container.Uri), Trimmed(url), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"--runs-container '{url}' is not a container of the --connection-string account ({container.Uri}).");
            }

            return new BlobRunStore(container);
        }

        return new BlobRunStore(new BlobContainerClient(new Uri(Trimmed(url)), Credential.Value, options));
    }

    private static string Trimmed(Uri uri) => uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static string Endpoint(RescoreSettings settings) =>
        settings.QueueEndpoint ?? throw new InvalidDataException("--enqueue needs --queue-connection-string or --queue-endpoint.");
}
