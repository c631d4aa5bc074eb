using IpIqa.TestSupport.Loopback;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Support;

/// <summary>
/// The settings of a worker on Azurite with the reference model: Storage Queue transport, images
/// from one allowed container, CPU. Tests add their sinks and overrides, then build an in-process
/// host (<see cref="BuildHost"/>) or start a process (<see cref="ToEnvironment"/>).
/// </summary>
public static class AzuriteWorkerSettings
{
    public static Dictionary<string, string?> StorageQueue(string connectionString, string bundle, string queue, string poison, string container, int maxBatchSize = 4) => new()
    {
        ["IpIqa:Model:BundlePath"] = bundle,
        ["IpIqa:Model:ExecutionProvider"] = "Cpu",
        ["IpIqa:Batching:MaxBatchSize"] = maxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["IpIqa:Transport:Kind"] = "StorageQueue",
        ["IpIqa:StorageQueue:ConnectionString"] = connectionString,
        ["IpIqa:StorageQueue:QueueName"] = queue,
        ["IpIqa:StorageQueue:PoisonQueueName"] = poison,
        ["IpIqa:StorageQueue:MaxPollInterval"] = "00:00:00.200",
        ["IpIqa:Blob:ConnectionString"] = connectionString,
        ["IpIqa:Blob:AllowedAccounts:0"] = Azurite.AccountName,
        ["IpIqa:Blob:AllowedContainers:0"] = container,
        ["IpIqa:Health:Port"] = "0",
    };

    /// <summary>The worker host as Program.cs builds it, with the real scoring engine.</summary>
    public static IHost BuildHost(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIpIqaWorker();
        builder.AddIpIqaScoring();
        return builder.Build();
    }

    /// <summary>The same settings as environment variables for a worker process (<c>:</c> becomes <c>__</c>), quiet but for the start line.</summary>
    public static Dictionary<string, string> ToEnvironment(IDictionary<string, string?> settings)
    {
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["DOTNET_ENVIRONMENT"] = "Test";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__IpIqa.Worker.Hosting.WorkerService"] = "Information";
        return environment;
    }
}
