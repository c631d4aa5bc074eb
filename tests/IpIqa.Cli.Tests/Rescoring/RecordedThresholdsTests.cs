using System.Text;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// Each run records its thresholds in <c>run.json</c>, so the report reads "the thresholds changed" from the two
/// runs' records instead of inferring it from unchanged scores (#15).
/// </summary>
public sealed class RecordedThresholdsTests
{
    private static readonly Thresholds Then = new(0.5, null);
    private static readonly Thresholds Now = new(0.7, null);

    [Fact]
    public void Recorded_thresholds_put_a_change_down_to_them_when_the_old_scores_under_the_new_thresholds_give_the_new_verdict()
    {
        RescoreRecord[] then = [Record("a", 0.6, Then), Record("b", 0.8, Then), Record("c", 0.6, Then)];
        RescoreRecord[] now =
        [
            Record("a", 0.6, Now),  // same scores, stricter threshold: the thresholds
            Record("b", 0.6, Now),  // 0.8 passes 0.7 too: the scores moved
            Record("c", 0.55, Now), // moved a little, but 0.6 already fails 0.7: the thresholds
        ];

        var read = ReportSummary.Of(now, then, Now, Then);
        var inferred = ReportSummary.Of(now, then, Now);

        Assert.True(read.Drift.ThresholdsRead);
        Assert.Equal((2, 1, 0), (read.Drift.ByThresholds, read.Drift.ByScores, read.Drift.ByModel));
        Assert.False(inferred.Drift.ThresholdsRead);
        Assert.Equal((1, 2), (inferred.Drift.ByThresholds, inferred.Drift.ByScores));
        Assert.Equal(read.VerdictsChanged, read.Drift.Changed);
    }

    [Fact]
    public void Equal_recorded_thresholds_never_explain_a_change()
    {
        RescoreRecord[] then = [Record("a", 0.6, Then) with { Verdict = Verdict.Fail }];
        RescoreRecord[] now = [Record("a", 0.6, Then)];

        var summary = ReportSummary.Of(now, then, Then, Then);

        Assert.Equal((0, 1), (summary.Drift.ByThresholds, summary.Drift.ByScores));
    }

    [Fact]
    public void The_report_names_the_previous_runs_thresholds_and_how_the_cause_was_found()
    {
        RescoreRecord[] then = [Record("a", 0.6, Then)];
        RescoreRecord[] now = [Record("a", 0.6, Now)];

        var read = RescoreReport.Render(new RescoreReportData("r2", "folder", "model", now, "r1", then, [], Now) { PreviousThresholds = Then });
        var old = RescoreReport.Render(new RescoreReportData("r2", "folder", "model", now, "r1", then, [], Now));

        Assert.Contains("<span id=\"previous-thresholds\">quality &ge; 0.5", read, StringComparison.Ordinal);
        Assert.Contains("the thresholds changed (as each run recorded them)</td><td id=\"cause-thresholds\">1<", read, StringComparison.Ordinal);
        Assert.Contains("<span id=\"previous-thresholds\">not recorded</span>", old, StringComparison.Ordinal);
        Assert.Contains("the thresholds changed (same scores; inferred)</td><td id=\"cause-thresholds\">1<", old, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_json_keeps_the_thresholds_and_an_older_run_json_reads_without_them()
    {
        var state = new RunState { RunId = "r", Source = "s", Mode = "m", ModelHash = "h", Thresholds = RunThresholds.Of(new Thresholds(0.4, null)) };

        var json = Encoding.UTF8.GetString(state.ToUtf8Json());
        var back = JsonSerializer.Deserialize<RunState>(json, RescoreJsonContext.Default.RunState)!;
        var older = JsonSerializer.Deserialize<RunState>("""{"runId":"r","source":"s","mode":"m","modelHash":"h"}""", RescoreJsonContext.Default.RunState)!;

        Assert.Contains("\"thresholds\":{\"quality\":0.4}", json, StringComparison.Ordinal);
        Assert.Equal(new Thresholds(0.4, null), back.Thresholds!.ToThresholds());
        Assert.Null(older.Thresholds);
    }

    private static RescoreRecord Record(string key, double quality, Thresholds thresholds)
    {
        var verdict = new VerdictCalculator(thresholds).Decide(new Scores(quality, 0.9));
        return new RescoreRecord
        {
            Key = key,
            Location = "/g/" + key,
            Version = "v",
            ModelHash = "m",
            Prompt = "p",
            Status = RescoreRecord.StatusScored,
            Quality = quality,
            Alignment = 0.9,
            Verdict = verdict.Outcome,
            FailedChecks = verdict.Failed.Count > 0 ? string.Join(';', verdict.Failed) : null,
        };
    }
}
