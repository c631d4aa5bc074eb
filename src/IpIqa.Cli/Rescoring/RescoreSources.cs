using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Azure.Rescoring;
using IpIqa.Core.Rescoring;

namespace IpIqa.Cli.Rescoring;

/// <summary>Builds the source and the queue a <see cref="RescoreSettings"/> names (connection string for Azurite, else DefaultAzureCredential).</summary>
internal static class RescoreSources
{
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
            container = new BlobServiceClient(service, new DefaultAzureCredential()).GetBlobContainerClient(settings.Container);
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
            case "storage-queue":
                var queue = settings.QueueConnectionString is { } connection
                    ? new QueueClient(connection, name)
                    : new QueueClient(new Uri($"{Endpoint(settings).TrimEnd('/')}/{name}"), new DefaultAzureCredential());
                return new StorageQueueJobQueue(queue);
            case "service-bus":
                var client = settings.QueueConnectionString is { } busConnection
                    ? new ServiceBusClient(busConnection)
                    : new ServiceBusClient(Endpoint(settings), new DefaultAzureCredential());
                return new ServiceBusJobQueue(client, name);
            default:
                throw new InvalidDataException($"--queue-kind '{settings.QueueKind}' is unknown; use storage-queue or service-bus.");
        }
    }

    private static string Endpoint(RescoreSettings settings) =>
        settings.QueueEndpoint ?? throw new InvalidDataException("--enqueue needs --queue-connection-string or --queue-endpoint.");
}
