namespace IpIqa.Training.Data;

/// <summary>One problem found while loading a data set: the 1-based line (or xlsx row) and what is wrong.</summary>
public sealed record DatasetIssue(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
