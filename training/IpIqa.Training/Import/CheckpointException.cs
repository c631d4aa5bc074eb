namespace IpIqa.Training.Import;

/// <summary>A checkpoint that cannot be read or does not fit the model; the message names the file, key or shape.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException()
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
