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

    public TableSinkToggle Table { get; init; } = new();

    public ExplainSinkOptions Explain { get; init; } = new();
}
