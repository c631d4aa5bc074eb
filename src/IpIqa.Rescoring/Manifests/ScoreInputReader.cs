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
    public static async Task<IReadOnlyList<ScoreInput>> ReadAsync(string input, CancellationToken cancellationToken)
    {
        if (Directory.Exists(input))
        {
            return ReadFolder(input);
        }

        if (!File.Exists(input))
        {
            throw new InvalidDataException($"Input '{input}' does not exist.");
        }

        return Path.GetExtension(input).ToLowerInvariant() switch
        {
            ".jsonl" => ReadJsonl(input),
            ".csv" => ReadCsv(input),
            ".parquet" => await ParquetManifestReader.ReadAsync(input, BaseFolder(input), cancellationToken).ConfigureAwait(false),
            var other => throw new InvalidDataException($"Input '{input}': unknown manifest kind '{other}'; use a folder, .jsonl, .csv or .parquet."),
        };
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
            var promptPath = Path.ChangeExtension(image, ".txt");
            inputs.Add(File.Exists(promptPath)
                ? new ScoreInput(name, image, File.ReadAllText(promptPath).Trim())
                : new ScoreInput(name, image, null, ErrorCodes.PromptMissing, $"No prompt for '{name}': '{Path.GetFileName(promptPath)}' does not exist."));
        }

        return inputs;
    }

    private static List<ScoreInput> ReadJsonl(string manifest)
    {
        var baseFolder = BaseFolder(manifest);
        var inputs = new List<ScoreInput>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(manifest))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            inputs.Add(ParseJsonLine(line, lineNumber, manifest, baseFolder));
        }

        return inputs;
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

    private static List<ScoreInput> ReadCsv(string manifest)
    {
        var baseFolder = BaseFolder(manifest);
        using var text = new StreamReader(manifest);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read() ?? throw new InvalidDataException($"{manifest} is empty; it needs a header 'image,prompt'.");
        var imageColumn = ColumnIndex(header, "image", manifest);
        var promptColumn = ColumnIndex(header, "prompt", manifest);
        var inputs = new List<ScoreInput>();
        while (true)
        {
            IReadOnlyList<string>? record;
            try
            {
                record = reader.Read();
            }
            catch (FormatException ex)
            {
                inputs.Add(new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{manifest} {ex.Message}"));
                break;
            }

            if (record is null)
            {
                break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue;
            }

            var where = $"{manifest} line {reader.RecordLine}";
            if (record.Count <= Math.Max(imageColumn, promptColumn) || record[imageColumn].Length == 0)
            {
                inputs.Add(new ScoreInput("", "", null, ErrorCodes.MessageInvalid, $"{where}: expected {header.Count} columns with an image, found {record.Count}."));
                continue;
            }

            inputs.Add(Entry(record[imageColumn], record[promptColumn], baseFolder, where));
        }

        return inputs;
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
