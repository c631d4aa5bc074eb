using System.Text;
using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Explain;

/// <summary>
/// Writes one image's explanation into a folder: <c>NAME.attention.json</c> (the raw map, its grid, the
/// scores, prompt and model) and <c>NAME.overlay.png</c> (<see cref="AttentionOverlay"/>). NAME is the
/// image's name with every character other than a letter, digit, '.', '-' or '_' replaced by '_'.
/// </summary>
internal sealed class ExplanationWriter(string folder, ModelIdentity model)
{
    public const string JsonSuffix = ".attention.json";
    public const string OverlaySuffix = ".overlay.png";

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The file name stem of an image's explanation files.</summary>
    public static string Stem(string imageName)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        var stem = new StringBuilder(imageName.Length);
        foreach (var c in imageName)
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return stem.ToString().TrimStart('.');
    }

    public async Task WriteAsync(ScorerInput input, Scores scores, AttentionMap map, IReadOnlyList<WordAttribution>? words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(map);
        var stem = Stem(input.Image.Name);
        // The image is read again for the overlay through the one file reader, with the scoring cap:
        // the file may have changed since it was scored (a FIFO or a huge file in its place).
        var encoded = input.Image.Path is { } path
            ? await ImageFiles.ReadAsync(path, input.Image.Name, Core.Imaging.ImageLimits.Default.MaxBytes, cancellationToken).ConfigureAwait(false)
            : input.Image.Bytes.ToArray();
        await File.WriteAllBytesAsync(Path.Combine(Folder, stem + OverlaySuffix), AttentionOverlay.RenderPng(encoded, map), cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(Folder, stem + JsonSuffix), Json(input, scores, map, words, stem + OverlaySuffix), cancellationToken).ConfigureAwait(false);
    }

    private byte[] Json(ScorerInput input, Scores scores, AttentionMap map, IReadOnlyList<WordAttribution>? words, string overlay)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", input.Image.Name);
            json.WriteString("prompt", input.Prompt);
            json.WriteString("model", model.ToString());
            json.WriteStartObject("scores");
            json.WriteNumber("quality", scores.Quality);
            json.WriteNumber("alignment", scores.Alignment);
            json.WriteEndObject();
            json.WriteNumber("grid", map.Grid);
            json.WriteString("overlay", overlay);
            json.WriteStartArray("attention");
            for (var row = 0; row < map.Grid; row++)
            {
                json.WriteStartArray();
                for (var column = 0; column < map.Grid; column++)
                {
                    json.WriteNumberValue(map[row, column]);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            if (words is not null)
            {
                WriteWords(json, words);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteWords(Utf8JsonWriter json, IReadOnlyList<WordAttribution> words)
    {
        json.WriteStartArray("words");
        foreach (var word in words)
        {
            json.WriteStartObject();
            json.WriteString("word", word.Word);
            WriteNumberOrNull(json, "alignmentWithout", word.AlignmentWithout);
            WriteNumberOrNull(json, "change", word.Change);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
