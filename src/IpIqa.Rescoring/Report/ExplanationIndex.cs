using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Rescoring;

/// <summary>
/// <c>explanations/explained.jsonl</c> in a run folder: one line per image that <c>--explain N</c> explained, its key and
/// the explanation its result names (files, words, or why not). The run's results are written from it again by
/// <c>--export</c>, so the files of a delta run, or of a run exported later, have the explanation columns (#15).
/// </summary>
internal static class ExplanationIndex
{
    public const string FileName = "explained.jsonl";

    /// <summary>The largest index read from a run store (1 MiB): at most 20 lines of a few kilobytes each.</summary>
    public const int MaxBytes = 1024 * 1024;

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

    /// <summary>
    /// The explanations recorded in <paramref name="folder"/>, by key, as the results' columns take them; null when the run
    /// explained none. The index is opened as image files are (without blocking: a FIFO used to block the export for ever)
    /// and read to <see cref="MaxBytes"/>, the bound a stored index is pulled to; anything else is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, ReportExplanation>? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        RegularFile file;
        try
        {
            file = RegularFile.Open(path, FileName, followLinks: true, noun: "Explanation index");
        }
        catch (IpIqaException ex) when (ex.Code == ErrorCodes.ImageNotFound)
        {
            return null;
        }
        catch (IpIqaException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }

        using (file)
        {
            if (file.Length > MaxBytes)
            {
                throw new InvalidDataException($"{path} has {file.Length} bytes; an explanation index is read to {MaxBytes} bytes at most.");
            }

            var bytes = new byte[file.Length];
            var read = file.ReadFromStart(bytes);
            return Parse(Encoding.UTF8.GetString(bytes, 0, read).Split('\n'), path);
        }
    }

    /// <summary>The explanations in <paramref name="lines"/> by key; a line that is not one is an <see cref="InvalidDataException"/> naming <paramref name="source"/>.</summary>
    public static IReadOnlyDictionary<string, ReportExplanation> Parse(IEnumerable<string> lines, string source)
    {
        var explained = new Dictionary<string, ReportExplanation>(StringComparer.Ordinal);
        foreach (var text in lines.Where(l => l.Length > 0))
        {
            Line? line;
            try
            {
                line = JsonSerializer.Deserialize(text, RescoreJsonContext.Default.ExplanationIndexLine);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{source}: a line is not an explanation ({ex.Message}).", ex);
            }

            if (line?.Key is not { Length: > 0 } key)
            {
                throw new InvalidDataException($"{source}: a line is not an explanation.");
            }

            explained[key] = new ReportExplanation(key, null, line.Explanation);
        }

        return explained;
    }

    /// <summary>
    /// The explanations as the results of a run kept in <paramref name="store"/> name them: each file by where the store
    /// keeps it (<c>RUNID/explanations/NAME</c>, stored with the run), since the local folder ends with the process;
    /// <paramref name="explained"/> itself without a store.
    /// </summary>
    public static IReadOnlyDictionary<string, ReportExplanation>? Located(IReadOnlyDictionary<string, ReportExplanation>? explained, IRunStore? store, RunFolder run)
    {
        if (explained is null || store is null)
        {
            return explained;
        }

        string? Locate(string? path) => path is null ? null : store.Locate(run, $"{ReportExplanations.FolderName}/{Path.GetFileName(path)}");
        return explained.ToDictionary(
            e => e.Key,
            e => e.Value.Explanation is { } x ? e.Value with { Explanation = x with { Overlay = Locate(x.Overlay), Attention = Locate(x.Attention) } } : e.Value,
            StringComparer.Ordinal);
    }

    /// <summary>One line of the index.</summary>
    internal sealed record Line(string Key, ResultExplanation? Explanation);
}
