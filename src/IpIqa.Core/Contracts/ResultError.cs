namespace IpIqa.Core.Contracts;

/// <summary>A failed job's reason: a stable code from <see cref="Errors.ErrorCodes"/> and a message for people.</summary>
public sealed record ResultError(string Code, string Message);
