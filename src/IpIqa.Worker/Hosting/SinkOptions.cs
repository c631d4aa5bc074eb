namespace IpIqa.Worker.Hosting;

/// <summary>Which sinks receive results. Section <c>IpIqa:Sinks</c> (the table's own settings: <c>IpIqa:Sinks:Table</c>).</summary>
public sealed record SinkOptions
{
    public const string SectionName = "IpIqa:Sinks";

    /// <summary>Send a reply message (Service Bus transport only).</summary>
    public bool Reply { get; init; } = true;

    /// <summary>Write score tags on the image blob.</summary>
    public bool BlobTags { get; init; }

    public FileSinkOptions File { get; init; } = new();

    public TableToggle Table { get; init; } = new();

    /// <summary>The file sink: <c>IpIqa:Sinks:File:Path</c>.</summary>
    public sealed record FileSinkOptions
    {
        public string? Path { get; init; }
    }

    /// <summary>Whether the table sink is on (<c>IpIqa:Sinks:Table:Enabled</c>).</summary>
    public sealed record TableToggle
    {
        public bool Enabled { get; init; }
    }
}
