namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// The Service Bus test double (tests/servicebus-double) running on 127.0.0.1, reachable with the
/// real Azure.Messaging.ServiceBus client through <see cref="ConnectionString"/>.
/// </summary>
public sealed class ServiceBusDouble : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly LoopbackProcess process;

    private ServiceBusDouble(LoopbackProcess process, ServiceBusDoubleOptions options)
    {
        this.process = process;
        Options = options;
        Port = process.Ready.GetProperty("port").GetInt32();
    }

    public ServiceBusDoubleOptions Options { get; }

    public int Port { get; }

    /// <summary>A connection string for the emulator mode of the SDK (plain AMQP, no TLS).</summary>
    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=x;SharedAccessKey=y;UseDevelopmentEmulator=true";

    /// <summary>What the double last wrote to stderr, for diagnosing a failing test.</summary>
    public string RecentOutput => process.RecentOutput;

    /// <summary>Installs the double's npm packages if needed, starts it and waits until it listens.</summary>
    public static async Task<ServiceBusDouble> StartAsync(ServiceBusDoubleOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var folder = NpmPackageFolder.UnderTests("servicebus-double");
        await NpmPackageFolder.EnsureInstalledAsync(folder, cancellationToken);
        var process = await LoopbackProcess.StartAsync(folder, "server.js", options.ToArguments(), StartTimeout, cancellationToken);
        return new ServiceBusDouble(process, options);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
