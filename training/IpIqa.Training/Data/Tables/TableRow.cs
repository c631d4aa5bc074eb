namespace IpIqa.Training.Data.Tables;

/// <summary>One record of a table file, with the 1-based line (CSV) or row (xlsx) where it starts.</summary>
internal sealed record TableRow(int Line, IReadOnlyList<string> Fields);
