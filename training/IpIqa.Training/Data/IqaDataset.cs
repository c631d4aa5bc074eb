using System.Globalization;
using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Data;

/// <summary>A loaded, validated image-quality data set: real (AGIQA-3k, AGIQA-1k, plain CSV) or synthetic.</summary>
public sealed class IqaDataset
{
    /// <summary>How many problems a failed load reports (all are counted).</summary>
    public const int DefaultMaxIssues = 50;

    private IqaDataset(DatasetKind kind, string source, IReadOnlyList<IqaSample> samples)
    {
        Kind = kind;
        Source = source;
        Samples = samples;
    }

    public DatasetKind Kind { get; }

    /// <summary>The table file the samples came from.</summary>
    public string Source { get; }

    public IReadOnlyList<IqaSample> Samples { get; }

    /// <summary>True when every sample has an alignment MOS.</summary>
    public bool HasAlignment => Samples.All(s => s.Alignment is not null);

    /// <summary>
    /// Reads <paramref name="tablePath"/> (CSV, or xlsx for AGIQA-1k) and resolves each image under
    /// <paramref name="imagesDir"/>. Every malformed row and missing image is collected; if any is found,
    /// a <see cref="DatasetException"/> lists them with their line numbers (at most <paramref name="maxIssues"/>).
    /// </summary>
    public static IqaDataset Load(DatasetKind kind, string tablePath, string imagesDir, int maxIssues = DefaultMaxIssues)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIssues, 1);
        if (!File.Exists(tablePath))
        {
            throw new DatasetException($"{tablePath}: the table file does not exist.");
        }

        if (!Directory.Exists(imagesDir))
        {
            throw new DatasetException($"{imagesDir}: the image folder does not exist.");
        }

        IReadOnlyList<TableRow> rows;
        try
        {
            rows = kind == DatasetKind.Agiqa1k ? XlsxTable.Read(tablePath) : CsvTable.Parse(File.ReadAllText(tablePath), tablePath);
        }
        catch (TableFormatException e)
        {
            throw new DatasetException(e.Message, e);
        }

        var layout = TableLayout.For(kind, rows, tablePath);
        var samples = new List<IqaSample>(layout.DataRows.Count);
        var issues = new List<DatasetIssue>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var row in layout.DataRows)
        {
            var rowIssues = new List<string>();
            var sample = ParseRow(layout, row, imagesDir, rowIssues);
            if (sample is not null && !firstLine.TryAdd(sample.ImagePath, row.Line))
            {
                rowIssues.Add($"image '{Path.GetFileName(sample.ImagePath)}' is listed again (first on line {firstLine[sample.ImagePath]})");
                sample = null;
            }

            total += rowIssues.Count;
            issues.AddRange(rowIssues.Take(maxIssues - issues.Count).Select(m => new DatasetIssue(row.Line, m)));
            if (sample is not null)
            {
                samples.Add(sample);
            }
        }

        if (total > 0)
        {
            throw new DatasetException(tablePath, issues, total);
        }

        if (samples.Count == 0)
        {
            throw new DatasetException($"{tablePath}: the table has a header but no samples.");
        }

        return new IqaDataset(kind, tablePath, samples);
    }

    private static IqaSample? ParseRow(TableLayout layout, TableRow row, string imagesDir, List<string> issues)
    {
        if (layout.FieldCount is { } expected && row.Fields.Count != expected)
        {
            issues.Add($"expected {expected} fields, found {row.Fields.Count}");
            return null;
        }

        string Field(int column) => column < row.Fields.Count ? row.Fields[column] : string.Empty;

        var image = Field(layout.ImageColumn).Trim();
        var prompt = Field(layout.PromptColumn).Trim();
        var quality = ParseScore(layout, layout.QualityColumn, Field(layout.QualityColumn), issues);
        double? alignment = layout.AlignmentColumn is { } a ? ParseScore(layout, a, Field(a), issues) : null;
        if (prompt.Length == 0)
        {
            issues.Add($"'{layout.NameOf(layout.PromptColumn)}' is empty");
        }

        string? group = null;
        string? path = null;
        if (image.Length == 0)
        {
            issues.Add($"'{layout.NameOf(layout.ImageColumn)}' is empty");
        }
        else
        {
            var root = Path.GetFullPath(imagesDir);
            path = Path.GetFullPath(Path.Combine(root, image));
            if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                issues.Add($"image '{image}' lies outside the image folder {root}");
            }
            else if (!File.Exists(path))
            {
                issues.Add($"image '{image}' not found at {path}");
            }

            group = layout.GroupByTrailingIndex ? PromptGroups.FromTrailingIndex(image) : PromptGroups.FromText(prompt);
            if (group is null)
            {
                issues.Add($"image name '{image}' does not end in a prompt index (as in 'midjourney_lowstep_002.jpg')");
            }
        }

        return issues.Count == 0 ? new IqaSample(path!, prompt, quality!.Value, alignment, group!) : null;
    }

    private static double? ParseScore(TableLayout layout, int column, string text, List<string> issues)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            issues.Add($"'{layout.NameOf(column)}' is empty");
            return null;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        issues.Add($"'{layout.NameOf(column)}' is not a number: '{trimmed}'");
        return null;
    }
}
