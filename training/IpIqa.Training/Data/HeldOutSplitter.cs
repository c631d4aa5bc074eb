using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Data;

/// <summary>
/// Cuts a CSV data set into <c>train.csv</c> and <c>heldout.csv</c> by prompt group, keeping every column
/// of the source table, so that no stage (pretraining included) sees the held-out prompts.
/// </summary>
public static class HeldOutSplitter
{
    public const string TrainFile = "train.csv";
    public const string HeldOutFile = "heldout.csv";

    public static (int Train, int HeldOut) Write(DatasetKind kind, string tablePath, string imagesDir, string outputFolder, double heldOutFraction, int seed)
    {
        if (kind == DatasetKind.Agiqa1k)
        {
            throw new InvalidDataException($"{tablePath}: split writes CSV tables; convert the AGIQA-1k workbook to a plain CSV first.");
        }

        var dataset = IqaDataset.Load(kind, tablePath, imagesDir);
        var split = PromptSplitter.Split(dataset.Samples, new SplitProtocol(1, seed, heldOutFraction))[0];
        var heldOut = split.Test.Select(s => Path.GetFullPath(s.ImagePath)).ToHashSet(StringComparer.Ordinal);

        var rows = CsvTable.Parse(File.ReadAllText(tablePath), tablePath);
        var layout = TableLayout.For(kind, rows, tablePath);
        var root = Path.GetFullPath(imagesDir);
        bool IsHeldOut(TableRow row) => heldOut.Contains(Path.GetFullPath(Path.Combine(root, row.Fields[layout.ImageColumn].Trim())));

        Directory.CreateDirectory(outputFolder);
        var header = kind == DatasetKind.PlainCsv && layout.Names.Count == 0 ? [] : new[] { rows[0].Fields };
        WriteTable(Path.Combine(outputFolder, TrainFile), header.Concat(layout.DataRows.Where(r => !IsHeldOut(r)).Select(r => r.Fields)));
        WriteTable(Path.Combine(outputFolder, HeldOutFile), header.Concat(layout.DataRows.Where(IsHeldOut).Select(r => r.Fields)));
        return (split.Train.Count, split.Test.Count);
    }

    private static void WriteTable(string path, IEnumerable<IReadOnlyList<string>> records)
    {
        using var writer = new StreamWriter(path);
        CsvTable.Write(writer, records);
    }
}
