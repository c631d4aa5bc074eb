using System.Globalization;
using System.Text.Json;

namespace IpIqa.Rescoring;

/// <summary>
/// A run's folder under the runs root: <c>run.json</c> (the checkpoint), <c>journal.jsonl</c>,
/// and what the run writes at the end (<c>report.html</c>; <c>results.csv</c> and
/// <c>results.parquet</c> for a full run, or when exported). The checkpoint is replaced atomically (write, flush to disk, rename), so a
/// kill leaves the old or the new one.
/// </summary>
public sealed class RunFolder
{
    public const string StateFile = "run.json";
    public const string JournalFile = "journal.jsonl";
    public const string ResultsFile = "results.csv";
    public const string ResultsParquetFile = "results.parquet";
    public const string ReportFile = "report.html";

    private RunFolder(string path, RunState state)
    {
        Path = path;
        State = state;
    }

    public string Path { get; }

    public RunState State { get; private set; }

    public string RunId => State.RunId;

    public string JournalPath => System.IO.Path.Combine(Path, JournalFile);

    public string ResultsPath => System.IO.Path.Combine(Path, ResultsFile);

    public string ResultsParquetPath => System.IO.Path.Combine(Path, ResultsParquetFile);

    public string ReportPath => System.IO.Path.Combine(Path, ReportFile);

    /// <summary>Where the run sorts journals on disk (<see cref="RecordIndex"/>, <see cref="SortedRecords"/>); what a killed process left there is removed by <see cref="ClearScratch"/>.</summary>
    public string ScratchPath => System.IO.Path.Combine(Path, "scratch");

    /// <summary>Removes the scratch folder and everything in it.</summary>
    public void ClearScratch()
    {
        if (Directory.Exists(ScratchPath))
        {
            Directory.Delete(ScratchPath, recursive: true);
        }
    }

    /// <summary>Starts a new run folder under <paramref name="root"/>: a delta of <paramref name="baseRun"/> when given (<see cref="RunChain"/>), else a full run.</summary>
    public static RunFolder Create(string root, string source, string mode, string modelHash, TimeProvider clock, RunFolder? baseRun = null, RunThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var runId = $"{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
        var path = Directory.CreateDirectory(System.IO.Path.Combine(root, runId)).FullName;
        var folder = new RunFolder(path, new RunState
        {
            RunId = runId,
            Source = source,
            Mode = mode,
            ModelHash = modelHash,
            Started = now,
            BaseRunId = baseRun?.RunId,
            Depth = baseRun is null ? 0 : baseRun.State.Depth + 1,
            Thresholds = thresholds,
        });
        folder.Save(folder.State);
        return folder;
    }

    /// <summary>Opens the run <paramref name="runId"/> under <paramref name="root"/>.</summary>
    /// <exception cref="InvalidDataException">There is no such run, or its checkpoint cannot be read.</exception>
    public static RunFolder Open(string root, string runId)
    {
        var path = System.IO.Path.Combine(root, runId);
        return TryLoad(path) ?? throw new InvalidDataException($"No run '{runId}' under '{root}' (or its {StateFile} is unreadable).");
    }

    /// <summary>Every run under <paramref name="root"/> whose checkpoint reads (and names the run's folder), oldest first.</summary>
    public static IReadOnlyList<RunFolder> List(string root) =>
        !Directory.Exists(root)
            ? []
            : Directory.EnumerateDirectories(root)
                .Select(TryLoad)
                .OfType<RunFolder>()
                .OrderBy(r => r.State.Started)
                .ThenBy(r => r.RunId, StringComparer.Ordinal)
                .ToArray();

    /// <summary>The newest unfinished run of <paramref name="source"/> in <paramref name="mode"/> with <paramref name="modelHash"/>, if any.</summary>
    public static RunFolder? FindResumable(string root, string source, string mode, string modelHash) =>
        List(root).LastOrDefault(r => r.State.Completed is null && r.State.Source == source && r.State.Mode == mode && r.State.ModelHash == modelHash);

    /// <summary>The newest finished run of <paramref name="source"/> other than <paramref name="exceptRunId"/>, if any.</summary>
    public static RunFolder? FindPrevious(string root, string source, string? exceptRunId) =>
        List(root).LastOrDefault(r => r.State.Completed is not null && r.State.Source == source && r.RunId != exceptRunId);

    /// <summary>Replaces the checkpoint atomically.</summary>
    public void Save(RunState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var target = System.IO.Path.Combine(Path, StateFile);
        var temporary = target + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(state.ToUtf8Json());
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
        State = state;
    }

    private static RunFolder? TryLoad(string path)
    {
        var file = System.IO.Path.Combine(path, StateFile);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllBytes(file), RescoreJsonContext.Default.RunState);

            // A checkpoint in a folder not named after its run (copied or renamed by hand) is not that run.
            return state is null || state.RunId != System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path))
                ? null
                : new RunFolder(System.IO.Path.GetFullPath(path), state);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
