namespace IpIqa.Inference;

/// <summary>
/// The execution provider asked for by name (<see cref="ExecutionProvider.Cuda"/>) cannot start on this
/// machine, so no session was created. The message names the setting and the reason.
/// </summary>
public sealed class ExecutionProviderUnavailableException : InvalidOperationException
{
    public ExecutionProviderUnavailableException()
        : base("The execution provider asked for cannot start.")
    {
    }

    public ExecutionProviderUnavailableException(string message)
        : base(message)
    {
    }

    public ExecutionProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
