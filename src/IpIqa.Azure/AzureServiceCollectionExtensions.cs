using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;
using IpIqa.Core.Batching;
using IpIqa.Core.Jobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure;

/// <summary>
/// Registers the Azure adapters. Clients are singletons made by <c>AddAzureClients</c> with the
/// token credential (<see cref="DefaultAzureCredential"/>: a managed identity in production);
/// a connection string in the section replaces it for development and tests.
/// </summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>Service Bus transport (section <c>IpIqa:ServiceBus</c>), and the reply sink when <paramref name="reply"/>.</summary>
    public static IServiceCollection AddIpIqaServiceBus(this IServiceCollection services, bool reply)
    {
        AddCredential(services);
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.SectionName)
            .PostConfigure<IOptions<DynamicBatcherOptions>>((options, batching) => options.MaxConcurrentMessages = MessagesToHold(options.MaxConcurrentMessages, batching.Value))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceBusOptions>, ServiceBusOptionsValidator>());
        services.AddAzureClients(builder =>
        {
            builder.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
            builder.AddClient<ServiceBusClient, ServiceBusClientOptions>((clientOptions, credential, sp) =>
            {
                var settings = sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
                return settings.UsesConnectionString
                    ? new ServiceBusClient(settings.ConnectionString, clientOptions)
                    : new ServiceBusClient(settings.FullyQualifiedNamespace, credential, clientOptions);
            });
        });
        services.AddSingleton<IJobSource, ServiceBusJobSource>();
        if (reply)
        {
            services.AddSingleton<IResultSink, ServiceBusReplySink>();
        }

        return services;
    }

    /// <summary>Storage Queue transport (section <c>IpIqa:StorageQueue</c>).</summary>
    public static IServiceCollection AddIpIqaStorageQueue(this IServiceCollection services)
    {
        AddCredential(services);
        services.AddOptions<StorageQueueOptions>().BindConfiguration(StorageQueueOptions.SectionName)
            .PostConfigure<IOptions<DynamicBatcherOptions>>((options, batching) => options.MaxConcurrentMessages = MessagesToHold(options.MaxConcurrentMessages, batching.Value))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageQueueOptions>, StorageQueueOptionsValidator>());
        services.AddAzureClients(builder =>
        {
            builder.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
            builder.AddClient<QueueServiceClient, QueueClientOptions>((clientOptions, credential, sp) =>
            {
                var settings = sp.GetRequiredService<IOptions<StorageQueueOptions>>().Value;
                return settings.UsesConnectionString
                    ? new QueueServiceClient(settings.ConnectionString, clientOptions)
                    : new QueueServiceClient(settings.QueueServiceUri, credential, clientOptions);
            });
        });
        services.AddSingleton<IJobSource, StorageQueueJobSource>();
        return services;
    }

    /// <summary>The configured number of messages to hold, or when it is 0 (unset) enough to fill batches (<see cref="BatchPipeline"/>).</summary>
    private static int MessagesToHold(int configured, DynamicBatcherOptions batching) =>
        configured > 0 ? configured : BatchPipeline.MessagesToFill(Math.Max(1, batching.MaxBatchSize));

    /// <summary>Blob image source (section <c>IpIqa:Blob</c>), and the blob index tags sink when <paramref name="tags"/>.</summary>
    public static IServiceCollection AddIpIqaBlobImages(this IServiceCollection services, bool tags)
    {
        AddCredential(services);
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobOptions>, BlobOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<BlobOptions>>().Value;
            var development = settings.UsesConnectionString ? new BlobServiceClient(settings.ConnectionString) : null;
            return new BlobClientResolver(sp.GetRequiredService<IOptions<BlobOptions>>(), sp.GetRequiredService<TokenCredential>(), development);
        });
        services.AddSingleton<IImageSource, BlobImageSource>();
        if (tags)
        {
            services.AddSingleton<IResultSink, BlobTagsSink>();
        }

        return services;
    }

    /// <summary>
    /// Explanations stored as blobs in <paramref name="container"/> on the account of section <c>IpIqa:Blob</c>
    /// (its connection string in development, else its <c>ServiceUri</c> with the token credential).
    /// </summary>
    public static IServiceCollection AddIpIqaBlobExplanations(this IServiceCollection services, string container)
    {
        AddCredential(services);
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IExplanationStore>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<BlobOptions>>().Value;
            var service = settings.UsesConnectionString
                ? new BlobServiceClient(settings.ConnectionString)
                : new BlobServiceClient(settings.ServiceUri, sp.GetRequiredService<TokenCredential>());
            return new BlobExplanationStore(service.GetBlobContainerClient(container));
        });
        return services;
    }

    /// <summary>Results table sink (section <c>IpIqa:Sinks:Table</c>).</summary>
    public static IServiceCollection AddIpIqaTableSink(this IServiceCollection services)
    {
        AddCredential(services);
        services.AddOptions<TableSinkOptions>().BindConfiguration(TableSinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TableSinkOptions>, TableSinkOptionsValidator>());
        services.AddAzureClients(builder =>
        {
            builder.UseCredential(sp => sp.GetRequiredService<TokenCredential>());
            builder.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, sp) =>
            {
                var settings = sp.GetRequiredService<IOptions<TableSinkOptions>>().Value;
                return settings.UsesConnectionString
                    ? new TableServiceClient(settings.ConnectionString, clientOptions)
                    : new TableServiceClient(settings.ServiceUri, credential, clientOptions);
            });
        });
        services.AddSingleton<IResultSink, TableResultSink>();
        return services;
    }

    /// <summary>
    /// The one <see cref="TokenCredential"/> every Azure client of a process uses
    /// (<see cref="DefaultAzureCredential"/>: a managed identity in production), so tokens are fetched
    /// once rather than per client. The worker and <c>ipiqa rescore</c> both register it here.
    /// </summary>
    public static IServiceCollection AddIpIqaAzureCredential(this IServiceCollection services)
    {
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        return services;
    }

    private static void AddCredential(IServiceCollection services) => services.AddIpIqaAzureCredential();
}
