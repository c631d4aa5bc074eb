namespace IpIqa.Worker.Hosting;

/// <summary>Whether the table sink is on (<c>IpIqa:Sinks:Table:Enabled</c>); its other settings bind to <c>IpIqa.Azure.Tables.TableSinkOptions</c>.</summary>
public sealed record TableSinkToggle
{
    public bool Enabled { get; init; }
}
