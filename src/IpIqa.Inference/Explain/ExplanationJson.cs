using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Inference.Scoring;

namespace IpIqa.Inference.Explain;

/// <summary>
/// The raw map of an explanation as JSON: image, prompt, model, scores, grid, the overlay's file name, the
/// grid × grid weights (rows, top first) and, when asked for, the per-word attribution. The same document
/// whichever front door asked (<c>ipiqa score --explain</c>, a job's <c>"explain": true</c>).
/// </summary>
public static class ExplanationJson
{
    public static byte[] Write(string image, string prompt, ModelIdentity model, Scores scores, AttentionMap map, string overlay, IReadOnlyList<WordAttribution>? words = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(map);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", image);
            json.WriteString("prompt", prompt);
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
