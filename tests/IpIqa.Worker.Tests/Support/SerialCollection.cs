namespace IpIqa.Worker.Tests.Support;

/// <summary>
/// Tests that run alone: meters and activity sources are process-wide, so telemetry assertions
/// must not see measurements from other tests' hosts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
