using System.Globalization;
using System.Text;

namespace IpIqa.Training.Training;

/// <summary>
/// Writes <c>image,prompt,mos_quality,pred_quality,mos_align,pred_align</c> (RFC 4180 quoting) with
/// round-trip precision; the alignment columns are empty for quality-only data.
/// </summary>
public static class PredictionsCsv
{
    public const string Header = "image,prompt,mos_quality,pred_quality,mos_align,pred_align";

    public static void Write(string path, Predictions predictions)
    {
        var text = new StringBuilder(Header).Append('\n');
        for (var row = 0; row < predictions.Samples.Count; row++)
        {
            var sample = predictions.Samples[row];
            var predicted = predictions.Predicted[row];
            text.Append(Quote(Path.GetFileName(sample.ImagePath))).Append(',').Append(Quote(sample.Prompt))
                .Append(',').Append(Number(sample.Quality)).Append(',').Append(Number(predicted[0]))
                .Append(',').Append(sample.Alignment is { } a ? Number(a) : string.Empty)
                .Append(',').Append(predicted.Length > 1 ? Number(predicted[1]) : string.Empty).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
