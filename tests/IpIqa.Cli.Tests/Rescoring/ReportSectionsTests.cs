using IpIqa.Core.Contracts;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>The report's answers (#15): verdict counts, drift by cause, rejected images by margin, prompts rejected most.</summary>
public sealed class ReportSectionsTests
{
    private static readonly Thresholds Limits = new(0.5, 0.5);

    private static RescoreRecord Scored(string key, double quality, double alignment, string model = "m", string? prompt = null)
    {
        var verdict = new VerdictCalculator(Limits).Decide(new Scores(quality, alignment));
        return new RescoreRecord
        {
            Key = key,
            Location = "/g/" + key,
            Version = "v",
            ModelHash = model,
            Prompt = prompt ?? "prompt " + key,
            Status = RescoreRecord.StatusScored,
            Quality = quality,
            Alignment = alignment,
            Verdict = verdict.Outcome,
            FailedChecks = verdict.Failed.Count > 0 ? string.Join(';', verdict.Failed) : null,
        };
    }

    private static RescoreRecord Failed(string key) => new()
    {
        Key = key, Location = "/g/" + key, Version = "v", ModelHash = "m", Status = RescoreRecord.StatusFailed, ErrorCode = "image_undecodable",
    };

    [Fact]
    public void VerdictCounts_SplitRejectionsByOutput_AndCountErrorsApart()
    {
        var random = new Random(5);
        var records = Enumerable.Range(0, 3_000)
            .Select(i => i % 41 == 0 ? Failed($"{i:D5}") : Scored($"{i:D5}", random.NextDouble(), random.NextDouble()))
            .ToList();

        var summary = ReportSummary.Of(records, null, Limits);

        var scored = records.Where(r => r.Quality is not null).ToList();
        Assert.Equal(scored.Count, summary.Verdicts.Scored);
        Assert.Equal(scored.Count(r => r.Quality >= 0.5 && r.Alignment >= 0.5), summary.Verdicts.Passed);
        Assert.Equal(scored.Count(r => r.Quality < 0.5 && r.Alignment >= 0.5), summary.Verdicts.Quality);
        Assert.Equal(scored.Count(r => r.Quality >= 0.5 && r.Alignment < 0.5), summary.Verdicts.Alignment);
        Assert.Equal(scored.Count(r => r.Quality < 0.5 && r.Alignment < 0.5), summary.Verdicts.Both);
        Assert.Equal(records.Count - scored.Count, summary.Verdicts.Errors);
    }

    [Fact]
    public void VerdictChanges_AreSplitByCause_AndTheMostMovedAreKeptLargestFirst()
    {
        var then = new List<RescoreRecord>();
        var now = new List<RescoreRecord>();
        for (var i = 0; i < 300; i++)
        {
            var key = $"{i:D4}";
            then.Add(Scored(key, 0.6, 0.6));
            now.Add((i % 3) switch
            {
                0 => Scored(key, 0.4, 0.6, model: i % 2 == 0 ? "m2" : "m"), // fails: model changed, or scores moved with the same model
                1 => Scored(key, 0.6 + (i * 0.001), 0.6),                    // moved, still passes
                _ => Scored(key, 0.6, 0.6) with { Verdict = Verdict.Fail, FailedChecks = "quality<0.7" }, // same scores, stricter threshold
            });
        }

        var summary = ReportSummary.Of(now, then, Limits);

        Assert.Equal(50, summary.Drift.ByModel);
        Assert.Equal(50, summary.Drift.ByScores);
        Assert.Equal(100, summary.Drift.ByThresholds);
        Assert.Equal(summary.VerdictsChanged, summary.Drift.Changed);
        var moved = summary.Drift.MostMoved();
        Assert.Equal(ReportDrift.Limit, moved.Count);
        var expected = now.Zip(then).Select(p => (p.First.Key, Move: Math.Max(Math.Abs(p.First.Quality!.Value - p.Second.Quality!.Value), Math.Abs(p.First.Alignment!.Value - p.Second.Alignment!.Value))))
            .Where(p => p.Move > 0).OrderByDescending(p => p.Move).ThenBy(p => p.Key, StringComparer.Ordinal).Take(ReportDrift.Limit).Select(p => p.Key);
        Assert.Equal(expected, moved.Select(m => m.Now.Key));
    }

    [Fact]
    public void RejectedImages_AreTheFurthestBelowTheirThresholds_FurthestFirst_AndBounded()
    {
        var random = new Random(9);
        var records = Enumerable.Range(0, 2_000).Select(i => Scored($"{i:D5}", random.NextDouble(), random.NextDouble())).ToList();

        var worst = ReportSummary.Of(records, null, Limits).Rejections.Worst();

        var expected = records.Select(r => (r.Key, Margin: Math.Max(0.5 - r.Quality!.Value, 0.5 - r.Alignment!.Value))).Where(r => r.Margin > 0)
            .OrderByDescending(r => r.Margin).ThenBy(r => r.Key, StringComparer.Ordinal).Take(ReportRejections.Limit).ToList();
        Assert.Equal(ReportRejections.Limit, worst.Count);
        Assert.Equal(expected.Select(r => r.Key), worst.Select(r => r.Record.Key));
        Assert.Equal(expected[0].Margin, worst[0].Margin, 1e-12);
    }

    [Fact]
    public void PromptHeavyHitters_KeepThePromptsRejectedMost_AmongManyMoreDistinctOnes()
    {
        var sketch = new PromptHeavyHitters();
        var truth = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < 200_000; i++)
        {
            // Every 20th rejection is one of five recurring prompts; the rest are 190,000 prompts seen once.
            var prompt = i % 20 == 0 ? $"heavy {i / 20 % 5}" : $"noise {i}";
            sketch.Add(prompt);
            truth[prompt] = truth.GetValueOrDefault(prompt) + 1;
        }

        var top = sketch.Top(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(h => $"heavy {h}").Order(StringComparer.Ordinal), top.Select(t => t.Prompt).Order(StringComparer.Ordinal));
        foreach (var (prompt, count, error) in top)
        {
            Assert.InRange(count - truth[prompt], 0, error);
            Assert.True(error <= sketch.Total / PromptHeavyHitters.Counters, $"{prompt}: overcount {error}");
        }

        Assert.Equal(200_000, sketch.Total);
        Assert.True(sketch.Top(int.MaxValue).Count <= PromptHeavyHitters.Counters);
    }

    [Fact]
    public void PromptHeavyHitters_AreExact_WithFewDistinctPrompts()
    {
        var sketch = new PromptHeavyHitters();
        foreach (var (prompt, times) in new[] { ("a", 3), ("b", 7), ("c", 1) })
        {
            for (var i = 0; i < times; i++)
            {
                sketch.Add(prompt);
            }
        }

        Assert.Equal([("b", 7L, 0L), ("a", 3L, 0L)], sketch.Top(2));
    }

    [Fact]
    public void HostilePrompts_AreEscaped_AndCut_InTheReport()
    {
        var hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>" + new string('x', 5_000);
        var records = new[] { Scored("a", 0.1, 0.9, prompt: hostile), Scored("b", 0.9, 0.9) };
        var data = new RescoreReportData("run", "folder", "model", records, null, null, [], Limits);

        var html = RescoreReport.Render(data);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', ReportSections.PromptChars), html, StringComparison.Ordinal);
        Assert.Contains("<td id=\"count-quality\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<b id=\"threshold-quality\">0.5</b>", html, StringComparison.Ordinal);
    }
}
