using IpIqa.Core.Contracts;
using System.Globalization;
using Spectre.Console;

namespace IpIqa.Cli.Scoring;

/// <summary>What a scoring run did: counts, failures by code, the score distribution per output, throughput.</summary>
internal sealed class ScoreSummary
{
    private readonly List<double> _quality = [];
    private readonly List<double> _alignment = [];
    private readonly SortedDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>Scored inputs whose verdict passed.</summary>
    public int Passed { get; private set; }

    /// <summary>Scored inputs whose verdict failed (below a threshold).</summary>
    public int Rejected { get; private set; }

    /// <summary>Inputs that could not be scored (an error result).</summary>
    public int Errors => Count - Scored;

    public IReadOnlyDictionary<string, int> FailuresByCode => _failures;

    public Distribution? Quality => Distribution.Of(_quality);

    public Distribution? Alignment => Distribution.Of(_alignment);

    public void Add(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Count++;
        if (result.Error is { } error)
        {
            _failures[error.Code] = _failures.GetValueOrDefault(error.Code) + 1;
            return;
        }

        _quality.Add(result.Scores!.Quality);
        _alignment.Add(result.Scores.Alignment);
        if (result.Verdict is { } verdict)
        {
            if (verdict.Passed)
            {
                Passed++;
            }
            else
            {
                Rejected++;
            }
        }
    }

    public int Scored => _quality.Count;

    public void Render(IAnsiConsole console, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(console);
        var rate = elapsed > TimeSpan.Zero ? Count / elapsed.TotalSeconds : 0;
        var counts = new Table().AddColumns("inputs", "scored", "passed", "rejected", "errors", "images/s");
        counts.AddRow(Num(Count), Num(Scored), Num(Passed), Num(Rejected), Num(Errors), rate.ToString("F1", CultureInfo.InvariantCulture));
        console.Write(counts);

        if (_failures.Count > 0)
        {
            var failures = new Table().AddColumns("error code", "count");
            foreach (var (code, count) in _failures)
            {
                failures.AddRow(Markup.Escape(code), Num(count));
            }

            console.Write(failures);
        }

        var distribution = new Table().AddColumns("output", "min", "p10", "median", "p90", "max");
        AddRow(distribution, "quality", Quality);
        AddRow(distribution, "alignment", Alignment);
        console.Write(distribution);
    }

    private static void AddRow(Table table, string name, Distribution? d)
    {
        if (d is null)
        {
            table.AddRow(name, "-", "-", "-", "-", "-");
            return;
        }

        table.AddRow(name, F(d.Min), F(d.P10), F(d.Median), F(d.P90), F(d.Max));
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
