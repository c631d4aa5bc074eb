using System.Globalization;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Core.Calibration;
using IpIqa.Core.Progress;
using IpIqa.Inference.Bundles;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Rescoring;

/// <summary>
/// Runs <c>ipiqa calibrate</c>: reads the reference scores, copies the bundle folder, writes the
/// percentile tables and a bumped version into the copy's <c>bundle.json</c>, and loads the copy
/// back (graph and tokenizer hashes still verify: only the manifest changed).
/// </summary>
internal static class CalibrateRunner
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public static int Run(string model, string results, string output, string? version, TextWriter console)
    {
        try
        {
            var bundle = ModelBundleLoader.Load(model);
            var (quality, alignment) = ReadScores(results, total => new CountProgressLines(Console.Error, "reading scores", total, ProgressInterval));
            var calibration = new BundleCalibration
            {
                Reference = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(results))),
                Count = quality.Count,
                Created = DateTimeOffset.UtcNow,
                Percentiles = new Dictionary<string, IReadOnlyList<double>>
                {
                    ["quality"] = PercentileTable.Build(quality).Values,
                    ["alignment"] = PercentileTable.Build(alignment).Values,
                },
            };
            if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            {
                throw new IOException($"--out '{output}' exists and is not empty.");
            }

            Copy(bundle.Folder, output);
            var manifest = bundle.Manifest with { Version = version ?? BumpVersion(bundle.Manifest.Version), Calibration = calibration };
            BundleManifestSerializer.WriteToFolder(manifest, output);
            var written = ModelBundleLoader.Load(output);
            console.WriteLine($"{written.Identity} calibrated on {calibration.Count} scores from {results}: {output}");
            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    /// <summary>The last number of <paramref name="version"/> plus one (<c>1.2.3</c> → <c>1.2.4</c>); <c>.1</c> appended when it ends in no number.</summary>
    public static string BumpVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var end = version.Length;
        var core = version.IndexOfAny(['-', '+']);
        if (core >= 0)
        {
            end = core;
        }

        var start = end;
        while (start > 0 && char.IsAsciiDigit(version[start - 1]))
        {
            start--;
        }

        if (start == end)
        {
            return version + ".1";
        }

        var next = (long.Parse(version[start..end], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        return version[..start] + next + version[end..];
    }

    /// <summary>
    /// Hands each record of the run folder <paramref name="folder"/> to <paramref name="each"/>: a run
    /// that holds only changes is resolved through its chain of runs (#19); a folder with a journal
    /// and no checkpoint is read as its journal.
    /// </summary>
    private static void ReadRun(string folder, Func<long, CountProgressLines>? progress, Action<RescoreRecord> each)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var read = 0;
        if (!File.Exists(Path.Combine(path, RunFolder.StateFile)))
        {
            var journal = RunJournal.Read(Path.Combine(path, RunFolder.JournalFile));
            var lines = progress?.Invoke(journal.Count);
            foreach (var record in journal.Values)
            {
                each(record);
                lines?.Report(++read);
            }

            lines?.Complete();
            return;
        }

        var root = Path.GetDirectoryName(path)!;
        var work = Path.Combine(Path.GetTempPath(), $"ipiqa-calibrate-{Guid.NewGuid():N}");
        try
        {
            using var records = RunRecords.Open(root, RunFolder.Open(root, Path.GetFileName(path)), work);

            // A run resolved through its chain has no count known before it is read: count and rate only.
            var lines = progress?.Invoke(0);
            foreach (var record in records.Records())
            {
                each(record);
                lines?.Report(++read);
            }

            lines?.Complete();
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>
    /// The scored (quality, alignment) pairs of a run folder's journal or of a results CSV; <paramref name="progress"/>,
    /// given the count of records to read (0 where it is not known in advance), is told each record read (#15).
    /// </summary>
    public static (List<double> Quality, List<double> Alignment) ReadScores(string results, Func<long, CountProgressLines>? progress = null)
    {
        List<double> quality = [], alignment = [];
        if (Directory.Exists(results))
        {
            var journal = Path.Combine(results, RunFolder.JournalFile);
            if (!File.Exists(journal))
            {
                throw new InvalidDataException($"'{results}' is not a rescore run folder: it has no {RunFolder.JournalFile}.");
            }

            ReadRun(results, progress, record =>
            {
                if (record is { Quality: { } q, Alignment: { } a })
                {
                    quality.Add(q);
                    alignment.Add(a);
                }
            });
        }
        else if (!File.Exists(results))
        {
            throw new InvalidDataException($"--results '{Path.GetFullPath(results)}' is neither a rescore run folder nor a results .csv file.");
        }
        else
        {
            using var text = new StreamReader(results);
            using var reader = new CsvRecordReader(text);
            var header = reader.Read() ?? throw new InvalidDataException($"{results} is empty.");
            var q = Column(header, "quality", results);
            var a = Column(header, "alignment", results);
            var lines = progress?.Invoke(Math.Max(File.ReadLines(results).LongCount() - 1, 0));
            var read = 0;
            while (reader.Read() is { } row)
            {
                lines?.Report(++read);
                if (row.Count > Math.Max(q, a)
                    && double.TryParse(row[q], NumberStyles.Float, CultureInfo.InvariantCulture, out var qv)
                    && double.TryParse(row[a], NumberStyles.Float, CultureInfo.InvariantCulture, out var av))
                {
                    quality.Add(qv);
                    alignment.Add(av);
                }
            }

            lines?.Complete();
        }

        if (quality.Count < 2)
        {
            throw new InvalidDataException($"'{results}' holds {quality.Count} scored images; calibration needs at least 2.");
        }

        return (quality, alignment);
    }

    private static int Column(IReadOnlyList<string> header, string name, string file)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidDataException($"{file}: the header has no '{name}' column (it has: {string.Join(", ", header)}).");
    }

    private static void Copy(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
