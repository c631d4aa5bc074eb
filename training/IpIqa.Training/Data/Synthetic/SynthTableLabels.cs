using IpIqa.Training.Data.Tables;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// The labels that <c>ipiqa-train synth</c> writes beside each image in its <c>data.csv</c>: <c>adj1</c>, the
/// quality degradations ("clean", or "blur:1.20 jpeg:30"), and <c>adj2</c>, the alignment deviations
/// ("aligned", "wrong_colour", "missing_object" ...), by image file name.
/// </summary>
public static class SynthTableLabels
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="check"/> when the table lacks synth's columns.</summary>
    public static IReadOnlyDictionary<string, (string Quality, string Alignment)> Read(string tablePath, string check)
    {
        var rows = CsvTable.Parse(File.ReadAllText(tablePath), tablePath);
        var header = rows.Count > 0 ? rows[0].Fields : [];
        int Column(string name) => header.ToList().FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
        var (name, adj1, adj2) = (Column("name"), Column("adj1"), Column("adj2"));
        if (name < 0 || adj1 < 0 || adj2 < 0)
        {
            throw new InvalidDataException($"{tablePath}: {check} needs a set written by 'ipiqa-train synth' (columns name, adj1, adj2).");
        }

        return rows.Skip(1).Where(r => r.Fields.Count > Math.Max(name, Math.Max(adj1, adj2)))
            .GroupBy(r => r.Fields[name], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Quality: g.First().Fields[adj1], Alignment: g.First().Fields[adj2]), StringComparer.Ordinal);
    }
}
