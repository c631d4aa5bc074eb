using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Azure;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace IpIqa.Rescoring;

/// <summary>
/// The source, the queue and the run store a <see cref="RescoreSettings"/> names. Their Azure clients
/// come from a service container built as the worker builds its own: <c>AddAzureClients</c> with the
/// one credential of <see cref="AzureServiceCollectionExtensions.AddIpIqaAzureCredential"/>
/// (DefaultAzureCredential), or a connection string for Azurite and development. The settings are
/// checked when this is made, so a bad combination fails before anything is read.
/// </summary>
internal sealed class RescoreSources : IAsyncDisposable
{
    private const string Gallery = "gallery";
    private const string Runs = "runs";
    private const string ChangeFeedContainer = "$blobchangefeed";

    private readonly RescoreSettings _settings;
    private readonly RequestPacer _pacer;
    private readonly ServiceProvider _clients;
    private readonly string? _runsContainer;

    public RescoreSources(RescoreSettings settings, RequestPacer pacer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pacer);
        _settings = settings;
        _pacer = pacer;
        if ((settings.Inventory is not null || settings.ChangeFeed) && settings.Container is null)
        {
            throw new InvalidDataException("--inventory and --change-feed need --container: they enumerate the gallery container, whose blobs are then read.");
        }

        var given = new[] { settings.Folder, settings.Manifest, settings.Container }.Count(s => s is not null);
        if (given != 1)
        {
            throw new InvalidDataException($"Name exactly one source: --folder, --manifest or --container (got {given}).");
        }

        if (settings.Container is not null && settings.ConnectionString is null && settings.ServiceUri is null)
        {
            throw new InvalidDataException("--container needs --connection-string (Azurite, development) or --service-uri (production, DefaultAzureCredential).");
        }

        if (settings.Inventory is not null && settings.ChangeFeed)
        {
            throw new InvalidDataException("Name one of --inventory (every image, from the daily report) and --change-feed (only what changed since the last run).");
        }

        if (settings.ListConcurrency is < 1 or > 64)
        {
            throw new InvalidDataException($"--list-concurrency {settings.ListConcurrency} must be between 1 and 64.");
        }

        _runsContainer = RunsContainerName(settings);
        var services = new ServiceCollection().AddIpIqaAzureCredential();
        services.AddAzureClients(builder =>
        {
            builder.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
            if (settings.Container is not null)
            {
                builder.AddClient<BlobServiceClient, BlobClientOptions>((options, credential) => BlobService(settings, options, credential)).WithName(Gallery);
            }

            if (_runsContainer is not null)
            {
                builder.AddClient<BlobServiceClient, BlobClientOptions>((options, credential) => BlobService(settings, options, credential, settings.RunsContainer))
                    .WithName(Runs).ConfigureOptions(options => BlobRunStore.AddPacing(options, pacer));
            }

            if (settings.Enqueue && settings.QueueKind == TransportKind.StorageQueue)
            {
                builder.AddClient<QueueServiceClient, QueueClientOptions>((options, credential) => settings.QueueConnectionString is { } connection
                    ? new QueueServiceClient(connection, options)
                    : new QueueServiceClient(new Uri(Endpoint(settings)), credential, options));
            }

            if (settings.Enqueue && settings.QueueKind == TransportKind.ServiceBus)
            {
                builder.AddClient<ServiceBusClient, ServiceBusClientOptions>((options, credential) => settings.QueueConnectionString is { } connection
                    ? new ServiceBusClient(connection, options)
                    : new ServiceBusClient(Endpoint(settings), credential, options));
            }
        });
        _clients = services.BuildServiceProvider();
    }

    /// <summary>The gallery to rescore.</summary>
    public IRescoreSource Source()
    {
        if (_settings.Folder is { } folder)
        {
            return new LocalFolderSource(folder);
        }

        if (_settings.Manifest is { } manifest)
        {
            return new ManifestSource(manifest);
        }

        var service = Client<BlobServiceClient>(Gallery);
        var container = service.GetBlobContainerClient(_settings.Container);
        if (_settings.Inventory is { } inventory)
        {
            var (inventoryContainer, path) = InventoryPath(inventory);
            return new BlobInventorySource(container, _settings.Prefix, _settings.PromptKey, service.GetBlobContainerClient(inventoryContainer), path, _pacer);
        }

        if (_settings.ChangeFeed)
        {
            return new ChangeFeedSource(container, _settings.Prefix, _settings.PromptKey, service.GetBlobContainerClient(ChangeFeedContainer), _pacer);
        }

        return new ParallelBlobRescoreSource(container, _settings.Prefix, _settings.PromptKey, _pacer, _settings.ListConcurrency);
    }

    /// <summary>The queue <c>--enqueue</c> sends to.</summary>
    public IJobQueue Queue()
    {
        var name = _settings.QueueName ?? throw new InvalidDataException("--enqueue needs --queue NAME.");
        if (_settings.QueueConnectionString is null)
        {
            _ = Endpoint(_settings);
        }

        return _settings.QueueKind switch
        {
            TransportKind.StorageQueue => new StorageQueueJobQueue(Client<QueueServiceClient>().GetQueueClient(name)),
            TransportKind.ServiceBus => new ServiceBusJobQueue(Client<ServiceBusClient>(), name),
            _ => throw new InvalidDataException($"--queue-kind '{_settings.QueueKind.ToArgument()}' has no queue to send to; use storage-queue or service-bus."),
        };
    }

    /// <summary>
    /// The blob run store <c>--runs-container</c> names (null without it), reached with
    /// <c>--connection-string</c> when given (it must then be a container of that account), else the
    /// credential. Every request it makes takes a slot of the run's pacer.
    /// </summary>
    public IRunStore? RunStore()
    {
        if (_runsContainer is null)
        {
            return null;
        }

        var container = Client<BlobServiceClient>(Runs).GetBlobContainerClient(_runsContainer);
        if (_settings.ConnectionString is not null && !string.Equals(Trimmed(container.Uri), Trimmed(_settings.RunsContainer!), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"--runs-container '{_settings.RunsContainer}' is not a container of the --connection-string account ({container.Uri}).");
        }

        return new BlobRunStore(container);
    }

    public ValueTask DisposeAsync() => _clients.DisposeAsync();

    private T Client<T>(string name = "Default")
        where T : class => _clients.GetRequiredService<IAzureClientFactory<T>>().CreateClient(name);

    private static BlobServiceClient BlobService(RescoreSettings settings, BlobClientOptions options, TokenCredential credential, Uri? container = null)
    {
        if (settings.ConnectionString is { } connection)
        {
            return new BlobServiceClient(connection, options);
        }

        var account = container is null ? settings.ServiceUri! : new BlobUriBuilder(container) { BlobContainerName = null }.ToUri();
        return new BlobServiceClient(account, credential, options);
    }

    /// <summary>The container name of <c>--runs-container</c>, or null without it; a URL that is not a container is refused.</summary>
    private static string? RunsContainerName(RescoreSettings settings)
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

        return parts.BlobContainerName;
    }

    /// <summary>The container and path of <c>--inventory CONTAINER[/PATH]</c>: a folder of inventory runs, or one <c>*manifest.json</c>.</summary>
    private static (string Container, string Path) InventoryPath(string inventory)
    {
        var slash = inventory.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? inventory : inventory[..slash];
        if (container.Length is < 3 or > 63 || !container.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new InvalidDataException($"--inventory '{inventory}' must be CONTAINER[/PATH] of the gallery's account (for example ipiqa-inventory or ipiqa-inventory/2026/12/07), with a valid container name.");
        }

        return (container, slash < 0 ? "" : inventory[(slash + 1)..]);
    }

    private static string Trimmed(Uri uri) => uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private static string Endpoint(RescoreSettings settings) =>
        settings.QueueEndpoint ?? throw new InvalidDataException("--enqueue needs --queue-connection-string or --queue-endpoint.");
}
