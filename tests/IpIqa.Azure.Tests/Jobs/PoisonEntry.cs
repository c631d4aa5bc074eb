namespace IpIqa.Azure.Tests.Jobs;

/// <summary>A poison-queue entry as the worker writes it; <see cref="Raw"/> is its whole JSON, <see cref="EncodedLength"/> the queue message's length.</summary>
public sealed record PoisonEntry(string Code, string Description, string Message)
{
    public string Raw { get; init; } = "";

    public int EncodedLength { get; init; }
}
