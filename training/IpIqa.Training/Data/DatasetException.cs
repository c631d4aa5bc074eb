namespace IpIqa.Training.Data;

/// <summary>A data set that failed to load, with every problem found (up to the reporting limit).</summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string source, IReadOnlyList<DatasetIssue> issues, int totalIssues)
        : base(Describe(source, issues, totalIssues))
    {
        Source = source;
        Issues = issues;
        TotalIssues = totalIssues;
    }

    public DatasetException()
        : this("data set", [], 0)
    {
    }

    public DatasetException(string message)
        : base(message)
    {
        Issues = [];
    }

    public DatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Issues = [];
    }

    /// <summary>The problems reported, in file order, at most the loader's limit.</summary>
    public IReadOnlyList<DatasetIssue> Issues { get; }

    /// <summary>How many problems were found in all, including those beyond the limit.</summary>
    public int TotalIssues { get; }

    private static string Describe(string source, IReadOnlyList<DatasetIssue> issues, int total)
    {
        var lines = issues.Select(i => $"  {source}: {i}");
        var more = total > issues.Count ? $"{Environment.NewLine}  ... and {total - issues.Count} more" : string.Empty;
        return $"{source}: {total} problem(s) in the data set:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}
