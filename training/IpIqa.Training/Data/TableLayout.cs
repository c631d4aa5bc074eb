using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Data;

/// <summary>Where the fields of a sample sit in a table, resolved from its header (or position).</summary>
internal sealed record TableLayout(
    int ImageColumn,
    int PromptColumn,
    int QualityColumn,
    int? AlignmentColumn,
    int? FieldCount,
    bool GroupByTrailingIndex,
    IReadOnlyList<string> Names,
    IReadOnlyList<TableRow> DataRows)
{
    public static TableLayout For(DatasetKind kind, IReadOnlyList<TableRow> rows, string source)
    {
        if (rows.Count == 0)
        {
            throw new DatasetException($"{source}: the table is empty.");
        }

        var header = rows[0];
        var data = rows.Skip(1).ToArray();
        return kind switch
        {
            DatasetKind.Agiqa3k => ByHeader(header, data, source, "name", "prompt", "mos_quality", "mos_align", alignmentRequired: true, fixedCount: true, byIndex: true),
            DatasetKind.Agiqa1k => ByHeader(header, data, source, "Image", "Prompt", "MOS", null, alignmentRequired: false, fixedCount: false, byIndex: false),
            DatasetKind.PlainCsv when header.Fields.Count > 0 && header.Fields[0].Trim().Equals("image", StringComparison.OrdinalIgnoreCase) =>
                ByHeader(header, data, source, "image", "prompt", "quality", "alignment", alignmentRequired: false, fixedCount: true, byIndex: false),
            DatasetKind.PlainCsv => Positional(rows, source),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data set kind."),
        };
    }

    public string NameOf(int column) => column < Names.Count ? Names[column] : $"column {column + 1}";

    private static TableLayout ByHeader(
        TableRow header,
        IReadOnlyList<TableRow> data,
        string source,
        string image,
        string prompt,
        string quality,
        string? alignment,
        bool alignmentRequired,
        bool fixedCount,
        bool byIndex)
    {
        var names = header.Fields.Select(f => f.Trim()).ToArray();
        int? Find(string name)
        {
            var index = Array.FindIndex(names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            return index < 0 ? null : index;
        }

        var required = new List<string> { image, prompt, quality };
        if (alignment is not null && alignmentRequired)
        {
            required.Add(alignment);
        }

        var missing = required.Where(r => Find(r) is null).ToArray();
        if (missing.Length > 0)
        {
            throw new DatasetException(source, [new DatasetIssue(header.Line, $"the header lacks column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; found {string.Join(",", names)}")], 1);
        }

        return new TableLayout(
            Find(image)!.Value,
            Find(prompt)!.Value,
            Find(quality)!.Value,
            alignment is null ? null : Find(alignment),
            fixedCount ? names.Length : null,
            byIndex,
            names,
            data);
    }

    private static TableLayout Positional(IReadOnlyList<TableRow> rows, string source)
    {
        var count = rows[0].Fields.Count;
        if (count is not (3 or 4))
        {
            throw new DatasetException(source, [new DatasetIssue(rows[0].Line, $"a plain CSV has 3 or 4 columns (image,prompt,quality[,alignment]); found {count}")], 1);
        }

        string[] names = count == 4 ? ["image", "prompt", "quality", "alignment"] : ["image", "prompt", "quality"];
        return new TableLayout(0, 1, 2, count == 4 ? 3 : null, count, false, names, rows);
    }
}
