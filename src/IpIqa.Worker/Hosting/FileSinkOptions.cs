namespace IpIqa.Worker.Hosting;

/// <summary>The JSONL file sink: <c>IpIqa:Sinks:File:Path</c> (off when empty).</summary>
public sealed record FileSinkOptions
{
    public string? Path { get; init; }
}
