using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Rescoring;

/// <summary>
/// Reads what <c>ipiqa score --input</c> and <c>ipiqa rescore --manifest</c> name: a folder of
/// images each with a same-named <c>.txt</c> prompt, a <c>.jsonl</c> manifest of
/// <c>{"image", "prompt"}</c>, a <c>.csv</c> manifest with columns <c>image,prompt</c>, or a
/// <c>.parquet</c> manifest with string columns <c>image</c> and <c>prompt</c>. Relative paths
/// resolve against the manifest's folder.
/// </summary>
internal static class ScoreInputReader
{
    /// <exception cref="InvalidDataException">The input does not exist, is of an unknown kind, or the manifest cannot be read at all.</exception>
    public static async Task<IReadOnlyList<ScoreInput>> ReadAsync(string input, CancellationToken cancellationToken) =>
        await StreamAsync(input, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The entries of the manifest <paramref name="manifest"/> as it is read: a JSONL or CSV line at a
    /// time, a Parquet row group at a time, so a manifest is never held whole (#19); a folder is listed first.
    /// </summary>
    /// <exception cref="InvalidDataException">The manifest does not exist, is of an unknown kind, or cannot be read at all (when enumerated).</exception>
    public static async IAsyncEnumerable<ScoreInput> StreamAsync(string manifest, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = Directory.Exists(manifest) ? ReadFolder(manifest).ToAsyncEnumerable() : !File.Exists(manifest)
            ? throw new InvalidDataException($"Input '{manifest}' does not exist.")
            : Path.GetExtension(manifest).ToLowerInvariant() switch
        {
            ".jsonl" => ReadJsonl(manifest).ToAsyncEnumerable(),
            ".csv" => ReadCsv(manifest).ToAsyncEnumerable(),
            ".parquet" => ParquetManifestReader.StreamAsync(manifest, BaseFolder(manifest), cancellationToken),
            var other => throw new InvalidDataException($"Input '{manifest}': unknown manifest kind '{other}'; use a folder, .jsonl, .csv or .parquet."),
        };
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    private static List<ScoreInput> ReadFolder(string folder)
    {
        var inputs = new List<ScoreInput>();
        var images = Directory.EnumerateFiles(folder)
            .Where(ImageFileExtensions.IsImage)
            .Order(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var name = Path.GetFileName(image);
            var sidecar = PromptSidecar.Read(Path.ChangeExtension(image, ".txt"));
            inputs.Add(sidecar.Text is { } prompt
                ? new ScoreInput(name, image, prompt)
                : new ScoreInput(name, image, null, sidecar.ProblemCode, $"No prompt for '{name}': {sidecar.Problem}"));
        }

        return inputs;
    }

    private static IEnumerable<ScoreInput> ReadJsonl(string manifest)
    {
        var baseFolder = BaseFolder(manifest);
        using var text = new StreamReader(manifest);
        foreach (var (line, lineNumber) in BoundedLineReader.Read(text, CsvRecordReader.MaxRecordBytes))
        {
            if (line is null)
            {
                // Read past, never held: a manifest of gigabytes with no newline was read into one string.
                yield return new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{manifest} line {lineNumber}: the line is longer than {CsvRecordReader.MaxRecordBytes} characters.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseJsonLine(line, lineNumber, manifest, baseFolder);
        }
    }

    private static ScoreInput ParseJsonLine(string line, int lineNumber, string manifest, string baseFolder)
    {
        string? image = null;
        string? prompt = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Bad($"{manifest} line {lineNumber}: expected a JSON object.");
            }

            image = StringProperty(document.RootElement, "image");
            prompt = StringProperty(document.RootElement, "prompt");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an unpaired surrogate escape ("\ud800") is not text.
            return Bad($"{manifest} line {lineNumber}: not valid JSON text ({ex.Message}).");
        }

        if (string.IsNullOrEmpty(image))
        {
            return Bad($"{manifest} line {lineNumber}: missing the string field 'image'.");
        }

        return Entry(image, prompt, baseFolder, $"{manifest} line {lineNumber}");

        static ScoreInput Bad(string message) => new("", "", null, ErrorCodes.MessageInvalid, message);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<ScoreInput> ReadCsv(string manifest)
    {
        var baseFolder = BaseFolder(manifest);
        using var text = new StreamReader(manifest);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read() ?? throw new InvalidDataException($"{manifest} is empty; it needs a header 'image,prompt'.");
        var imageColumn = ColumnIndex(header, "image", manifest);
        var promptColumn = ColumnIndex(header, "prompt", manifest);
        while (true)
        {
            IReadOnlyList<string>? record;
            string? malformed = null;
            try
            {
                record = reader.Read();
            }
            catch (FormatException ex)
            {
                (record, malformed) = (null, ex.Message);
            }

            if (malformed is not null)
            {
                yield return new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{manifest} {malformed}");
                yield break;
            }

            if (record is null)
            {
                yield break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue;
            }

            var where = $"{manifest} line {reader.RecordLine}";
            yield return record.Count <= Math.Max(imageColumn, promptColumn) || record[imageColumn].Length == 0
                ? new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{where}: expected {header.Count} columns with an image, found {record.Count}.")
                : Entry(record[imageColumn], record[promptColumn], baseFolder, where);
        }
    }

    private static int ColumnIndex(IReadOnlyList<string> header, string name, string manifest)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidDataException($"{manifest}: the header has no '{name}' column (it has: {string.Join(", ", header)}).");
    }

    private static string BaseFolder(string manifest) => Path.GetDirectoryName(Path.GetFullPath(manifest))!;

    /// <summary>The folder an input's relative image paths resolve against: the folder itself, or the manifest's folder.</summary>
    public static string BaseFolderOf(string input) => Directory.Exists(input) ? Path.GetFullPath(input) : BaseFolder(input);

    /// <summary>
    /// An entry of a manifest: the image resolved against <paramref name="baseFolder"/>; a <c>prompt_missing</c>
    /// problem when there is no prompt (null or empty), <c>prompt_invalid</c> when it is only white space, as in the worker.
    /// </summary>
    internal static ScoreInput Entry(string image, string? prompt, string baseFolder, string where)
    {
        var path = Path.GetFullPath(Path.Combine(baseFolder, image));
        return string.IsNullOrEmpty(prompt)
            ? new ScoreInput(image, path, null, ErrorCodes.PromptMissing, $"{where}: no prompt for '{image}'.")
            : string.IsNullOrWhiteSpace(prompt)
                ? new ScoreInput(image, path, null, ErrorCodes.PromptInvalid, $"{where}: the prompt for '{image}' is only white space.")
                : new ScoreInput(image, path, prompt);
    }
}
