namespace IpIqa.Core.Contracts;

/// <summary>Milliseconds spent on a job: fetching the bytes, decoding, in the model (batch share), and in total.</summary>
public sealed record ResultTimings(double FetchMs, double DecodeMs, double ModelMs, double TotalMs);
