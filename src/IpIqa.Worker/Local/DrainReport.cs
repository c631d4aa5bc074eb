using System.Collections.Concurrent;
using System.Globalization;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using Spectre.Console;

namespace IpIqa.Worker.Local;

/// <summary>
/// Collects what a local run produced (a sink that runs last, plus jobs given up on) and prints it
/// as a table at the end of a drain: one line per job, in message order (a job with no readable
/// <c>jobId</c> is named by its message id, <c>FILE:LINE</c>).
/// </summary>
public sealed class DrainReport : IResultSink
{
    private readonly ConcurrentDictionary<string, ScoringResult> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _abandoned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _earlier = new(StringComparer.Ordinal);

    public string Name => "report";

    public int Order => 1000;

    public int Scored => _results.Values.Count(r => !r.IsError);

    /// <summary>Jobs that could not be scored: an error result, or given up on after transient failures.</summary>
    public int Errors => _results.Values.Count(r => r.IsError) + _abandoned.Count;

    /// <summary>Scored jobs whose verdict failed.</summary>
    public int Rejected => _results.Values.Count(r => r.Verdict is { Passed: false });

    public Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _results[record.Job.MessageId] = record.Result;
        return Task.CompletedTask;
    }

    /// <summary>Jobs whose result an earlier run wrote (not scored again), included in the counts above.</summary>
    public int Earlier => _earlier.Count;

    public void Abandoned(string messageId, string reason) => _abandoned[messageId] = reason;

    /// <summary>A job an earlier run completed: its result, read back from the results file, is listed as if scored now.</summary>
    public void AddEarlier(string messageId, ScoringResult? result)
    {
        _earlier[messageId] = true;
        if (result is not null)
        {
            _results[messageId] = result;
        }
    }

    public void Print(IAnsiConsole console, string resultsPath)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("job").AddColumn("image")
            .AddColumn(new TableColumn("quality").RightAligned()).AddColumn(new TableColumn("alignment").RightAligned())
            .AddColumn("verdict");
        var ids = _results.Keys.Concat(_abandoned.Keys).Distinct().Order(MessageOrder.Instance);
        foreach (var id in ids)
        {
            if (_results.TryGetValue(id, out var result))
            {
                var image = Path.GetFileName(result.Image?.Path ?? result.Image?.Uri ?? "-");
                if (result.Scores is { } scores)
                {
                    var verdict = result.Verdict is { Passed: false } failed ? $"[red]fail[/] {Markup.Escape(string.Join(' ', failed.Failed))}" : "[green]pass[/]";
                    table.AddRow(Markup.Escape(result.JobId ?? id), Markup.Escape(image), Format(scores.Quality), Format(scores.Alignment), verdict);
                }
                else
                {
                    var error = result.Error!;
                    table.AddRow(Markup.Escape(result.JobId ?? id), Markup.Escape(image), "-", "-", $"[yellow]{Markup.Escape(error.Code)}[/] {Markup.Escape(error.Message)}");
                }
            }
            else
            {
                table.AddRow(Markup.Escape(id), "-", "-", "-", $"[red]not done[/] {Markup.Escape(_abandoned[id])}");
            }
        }

        console.Write(table);
        var earlier = Earlier > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({Earlier} done by an earlier run)") : "";
        console.MarkupLine(CultureInfo.InvariantCulture, "scored {0} (rejected {1}), errors {2}{3}; results in {4}", Scored, Rejected, Errors, earlier, Markup.Escape(resultsPath));
    }

    private static string Format(double score) => score.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>Orders <c>FILE:LINE</c> ids by line number, others by name.</summary>
    private sealed class MessageOrder : IComparer<string>
    {
        public static readonly MessageOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (fx, lx) = Split(x ?? string.Empty);
            var (fy, ly) = Split(y ?? string.Empty);
            var byFile = string.CompareOrdinal(fx, fy);
            return byFile != 0 ? byFile : lx.CompareTo(ly);
        }

        private static (string File, long Line) Split(string id)
        {
            var colon = id.LastIndexOf(':');
            return colon > 0 && long.TryParse(id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line)
                ? (id[..colon], line)
                : (id, 0);
        }
    }
}
