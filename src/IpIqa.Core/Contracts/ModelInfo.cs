namespace IpIqa.Core.Contracts;

/// <summary>The model that scored a job: bundle name, version and a hash of its graphs.</summary>
public sealed record ModelInfo(string Name, string Version, string Hash);
