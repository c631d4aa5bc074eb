namespace IpIqa.Core.Errors;

/// <summary>A failure with a stable error code (see <see cref="ErrorCodes"/>) that belongs to one job.</summary>
public sealed class IpIqaException : Exception
{
    public IpIqaException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public IpIqaException()
        : this(ErrorCodes.InternalError, "Unknown failure.")
    {
    }

    public IpIqaException(string message)
        : this(ErrorCodes.InternalError, message)
    {
    }

    public IpIqaException(string message, Exception innerException)
        : this(ErrorCodes.InternalError, message, innerException)
    {
    }

    public string Code { get; }
}
