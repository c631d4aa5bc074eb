using System.Globalization;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Calibration;
using IpIqa.Core.Rescoring;

namespace IpIqa.Cli.Rescoring;

/// <summary>Writes a run's results CSV from its journal: one row per item, with the run id; written to a temporary file and renamed.</summary>
internal static class RescoreResultsWriter
{
    public const string Header = "run_id,key,location,prompt,quality,alignment,quality_percentile,alignment_percentile,verdict,failed_checks,status,skipped,error_code,error_message,model_hash,job_id";

    public static void Write(string path, string runId, IEnumerable<RescoreRecord> records, PercentileTable? quality, PercentileTable? alignment)
    {
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
        {
            writer.Write(Header);
            writer.Write("\r\n");
            foreach (var r in records)
            {
                writer.Write(string.Join(',',
                    CsvResultWriter.Quote(runId),
                    CsvResultWriter.Quote(r.Key),
                    CsvResultWriter.Quote(r.Location),
                    CsvResultWriter.Quote(r.Prompt ?? ""),
                    Number(r.Quality),
                    Number(r.Alignment),
                    Number(r.Quality is { } q ? quality?.PercentileOf(q) : null),
                    Number(r.Alignment is { } a ? alignment?.PercentileOf(a) : null),
                    r.Verdict ?? "",
                    CsvResultWriter.Quote(r.FailedChecks ?? ""),
                    r.Status,
                    r.Skipped ? "true" : "false",
                    CsvResultWriter.Quote(r.ErrorCode ?? ""),
                    CsvResultWriter.Quote(r.ErrorMessage ?? ""),
                    r.ModelHash,
                    CsvResultWriter.Quote(r.JobId ?? "")));
                writer.Write("\r\n");
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
