namespace IpIqa.Azure.Tests.Jobs;

/// <summary>A poison-queue entry as the worker writes it.</summary>
public sealed record PoisonEntry(string Code, string Description, string Message);
