using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Scoring;

/// <summary>Picks the writer from the output file's extension; <c>-</c> writes JSONL to standard output.</summary>
internal static class ResultWriters
{
    /// <summary>The output name that means standard output (JSONL), for pipes: <c>ipiqa score ... --out - | jq</c>.</summary>
    public const string StandardOutput = "-";

    /// <summary>The writer of <paramref name="path"/>; a CSV or Parquet file has the explanation columns when <paramref name="explain"/> (<see cref="ResultTable.For"/>).</summary>
    public static IResultWriter<ScoringResult> Create(string path, bool explain = false)
    {
        if (path == StandardOutput)
        {
            // Progress, the summary and errors go to stderr (CliConsole), so stdout holds only result lines.
            return new JsonlResultWriter(Console.OpenStandardOutput());
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".jsonl" or ".csv" or ".parquet"))
        {
            throw new InvalidDataException($"Output '{path}': use a .jsonl, .csv or .parquet file name, or - for JSONL on standard output.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        if (extension == ".parquet")
        {
            return new ParquetResultWriter<ScoringResult>(path, ResultTable.For(explain));
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        return extension == ".jsonl"
            ? new JsonlResultWriter(stream)
            : new CsvResultWriter<ScoringResult>(new StreamWriter(stream, new UTF8Encoding(false)), ResultTable.For(explain));
    }
}
