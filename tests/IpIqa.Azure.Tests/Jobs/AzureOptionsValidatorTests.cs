using IpIqa.Azure.Blobs;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class AzureOptionsValidatorTests
{
    [Fact]
    public void Service_bus_without_namespace_or_connection_string_names_both_keys()
    {
        var result = new ServiceBusOptionsValidator().Validate(null, new ServiceBusOptions());

        Assert.True(result.Failed);
        Assert.Contains("IpIqa:Transport:Kind=ServiceBus requires IpIqa:ServiceBus:FullyQualifiedNamespace or IpIqa:ServiceBus:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new ServiceBusOptionsValidator().Validate(null, new ServiceBusOptions { FullyQualifiedNamespace = "ns.servicebus.windows.net" }).Succeeded);
    }

    [Fact]
    public void Storage_queue_rules_name_their_keys()
    {
        var result = new StorageQueueOptionsValidator().Validate(null, new StorageQueueOptions { PoisonQueueName = "ipiqa-jobs", VisibilityTimeout = TimeSpan.FromSeconds(1) });

        Assert.Contains("IpIqa:StorageQueue:QueueServiceUri or IpIqa:StorageQueue:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("IpIqa:StorageQueue:VisibilityTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("IpIqa:StorageQueue:PoisonQueueName must differ", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_images_need_an_allow_list_and_the_table_needs_an_endpoint()
    {
        Assert.Contains("IpIqa:Blob:AllowedAccounts is empty", new BlobOptionsValidator().Validate(null, new BlobOptions()).FailureMessage, StringComparison.Ordinal);
        Assert.Contains("IpIqa:Sinks:Table:Enabled=true requires", new TableSinkOptionsValidator().Validate(null, new TableSinkOptions { Enabled = true }).FailureMessage, StringComparison.Ordinal);
        Assert.True(new TableSinkOptionsValidator().Validate(null, new TableSinkOptions()).Succeeded);
    }
}
