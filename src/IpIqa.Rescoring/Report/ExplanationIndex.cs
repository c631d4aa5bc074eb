using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// <c>explanations/explained.jsonl</c> in a run folder: one line per image that <c>--explain N</c> explained, its key and
/// the explanation its result names (files, words, or why not). The run's results are written from it again by
/// <c>--export</c>, so the files of a delta run, or of a run exported later, have the explanation columns (#15).
/// </summary>
internal static class ExplanationIndex
{
    public const string FileName = "explained.jsonl";

    /// <summary>Writes one line per explained image into <paramref name="folder"/> (created when missing); nothing when there is none.</summary>
    public static void Write(string folder, IReadOnlyDictionary<string, ReportExplanation> explained)
    {
        ArgumentNullException.ThrowIfNull(explained);
        if (explained.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var lines = new StringBuilder();
        foreach (var (key, explanation) in explained.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            lines.Append(JsonSerializer.Serialize(new Line(key, explanation.Explanation), RescoreJsonContext.Default.ExplanationIndexLine)).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, FileName), lines.ToString(), new UTF8Encoding(false));
    }

    /// <summary>The explanations recorded in <paramref name="folder"/>, by key, as the results' columns take them; null when the run explained none.</summary>
    public static IReadOnlyDictionary<string, ReportExplanation>? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var explained = new Dictionary<string, ReportExplanation>(StringComparer.Ordinal);
        foreach (var text in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var line = JsonSerializer.Deserialize(text, RescoreJsonContext.Default.ExplanationIndexLine)
                ?? throw new InvalidDataException($"{path}: a line is not an explanation.");
            explained[line.Key] = new ReportExplanation(line.Key, null, line.Explanation);
        }

        return explained;
    }

    /// <summary>One line of the index.</summary>
    internal sealed record Line(string Key, ResultExplanation? Explanation);
}
