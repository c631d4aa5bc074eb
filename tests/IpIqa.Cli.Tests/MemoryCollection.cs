namespace IpIqa.Cli.Tests;

/// <summary>Tests that measure the process's memory run alone, after every other test class.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Process memory";
}
