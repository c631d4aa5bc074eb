namespace IpIqa.Core.Jobs;

/// <summary>An encoded image (<see cref="Name"/> names it in logs) and its prompt.</summary>
public sealed record ScorerInput(string Name, ReadOnlyMemory<byte> Image, string Prompt);
