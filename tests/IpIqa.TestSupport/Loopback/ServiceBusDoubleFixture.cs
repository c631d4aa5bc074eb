namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// xunit collection fixture: one Service Bus test double for a test collection. Declare the
/// collection in the test project (<c>[CollectionDefinition] ... ICollectionFixture&lt;ServiceBusDoubleFixture&gt;</c>).
/// Settings are short enough for lock-expiry tests: a 5 s lock and a max delivery count of 3.
/// When node or npm is missing nothing starts and <see cref="SkipReason"/> says why; tests use
/// <see cref="RequiresNodeFactAttribute"/> so they are skipped rather than passed.
/// </summary>
public sealed class ServiceBusDoubleFixture : IAsyncLifetime
{
    public static readonly ServiceBusDoubleOptions DefaultOptions = new()
    {
        LockDuration = TimeSpan.FromSeconds(5),
        MaxDeliveryCount = 3,
    };

    private ServiceBusDouble? serviceBus;

    public string? SkipReason { get; private set; }

    public ServiceBusDouble ServiceBus =>
        serviceBus ?? throw new InvalidOperationException(SkipReason ?? "The Service Bus test double has not started.");

    public string ConnectionString => ServiceBus.ConnectionString;

    public ServiceBusDoubleOptions Options => ServiceBus.Options;

    public async ValueTask InitializeAsync()
    {
        SkipReason = NodeTools.MissingReason();
        if (SkipReason is null)
        {
            serviceBus = await ServiceBusDouble.StartAsync(DefaultOptions, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (serviceBus is not null)
        {
            await serviceBus.DisposeAsync();
        }
    }
}
