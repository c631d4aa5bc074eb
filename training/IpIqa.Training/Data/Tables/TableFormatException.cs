namespace IpIqa.Training.Data.Tables;

/// <summary>A table file that cannot be parsed at all (for example an unterminated quote), naming the line.</summary>
public sealed class TableFormatException : Exception
{
    public TableFormatException(string message)
        : base(message)
    {
    }

    public TableFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableFormatException()
        : base("The table file is malformed.")
    {
    }
}
