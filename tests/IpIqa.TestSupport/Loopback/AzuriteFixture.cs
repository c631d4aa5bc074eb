namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// xunit collection fixture: one Azurite for a test collection. Declare the collection in the
/// test project (<c>[CollectionDefinition] ... ICollectionFixture&lt;AzuriteFixture&gt;</c>).
/// When node or npm is missing nothing starts and <see cref="SkipReason"/> says why; tests use
/// <see cref="RequiresNodeFactAttribute"/> so they are skipped rather than passed.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? azurite;

    public string? SkipReason { get; private set; }

    public Azurite Azurite =>
        azurite ?? throw new InvalidOperationException(SkipReason ?? "Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        SkipReason = NodeTools.MissingReason();
        if (SkipReason is null)
        {
            azurite = await Azurite.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
