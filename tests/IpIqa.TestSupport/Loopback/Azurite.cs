namespace IpIqa.TestSupport.Loopback;

/// <summary>
/// Azurite (tests/azurite, pinned on npm) serving Blob, Queue and Table in memory on 127.0.0.1,
/// reachable with the real Azure.Storage / Azure.Data.Tables clients through <see cref="ConnectionString"/>.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>The well-known development account every Azurite instance accepts.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known, public development account key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly LoopbackProcess process;

    private Azurite(LoopbackProcess process)
    {
        this.process = process;
        BlobPort = process.Ready.GetProperty("blobPort").GetInt32();
        QueuePort = process.Ready.GetProperty("queuePort").GetInt32();
        TablePort = process.Ready.GetProperty("tablePort").GetInt32();
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/{AccountName}");

    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    /// <summary>The development-account connection string with this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>What Azurite last wrote, for diagnosing a failing test.</summary>
    public string RecentOutput => process.RecentOutput;

    /// <summary>Installs Azurite if needed, starts it and waits until all three services listen.</summary>
    public static async Task<Azurite> StartAsync(CancellationToken cancellationToken)
    {
        var folder = NpmPackageFolder.UnderTests("azurite");
        await NpmPackageFolder.EnsureInstalledAsync(folder, cancellationToken);
        var process = await LoopbackProcess.StartAsync(folder, "run.js", [], StartTimeout, cancellationToken);
        return new Azurite(process);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
