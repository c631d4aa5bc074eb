using IpIqa.Core.Progress;

namespace IpIqa.Core.Tests.Progress;

/// <summary>Plain progress lines of <c>ipiqa-train synth</c>, training epochs and <c>ipiqa calibrate</c> with no terminal (#15).</summary>
public sealed class CountProgressLinesTests
{
    [Fact]
    public void ReportsOutOfOrder_NeverMoveTheCountBack_AndTheLastLineIsComplete()
    {
        using var writer = new StringWriter();
        var lines = new CountProgressLines(writer, "rendering", 10, TimeSpan.Zero);

        lines.Report(6);
        lines.Report(4); // a late report from another renderer
        lines.Complete();

        var written = Written(writer);
        Assert.Equal(3, written.Length);
        Assert.StartsWith("rendering: 6/10 (60%), ", written[0], StringComparison.Ordinal);
        Assert.StartsWith("rendering: 6/10 (60%), ", written[1], StringComparison.Ordinal);
        Assert.Matches(@"^rendering: 10/10 \(100%\), [0-9.]+/s$", written[2]);
        Assert.Contains("/s, ETA ", written[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryStepReported_WritesOneLinePerInterval_NotOnePerStep()
    {
        var clock = new StepClock();
        using var writer = new StringWriter();
        var lines = new CountProgressLines(writer, "finetune epoch 1/3", 1000, TimeSpan.FromSeconds(10), clock);

        for (var step = 1; step <= 1000; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100)); // 100 s in all
            lines.Report(step);
        }

        // A line at 10 s, 20 s, ... 100 s: ten, not a thousand.
        Assert.Equal(10, lines.Lines);
        var written = Written(writer);
        Assert.StartsWith("finetune epoch 1/3: 100/1000 (10%), 10.0/s, ETA 00:01:30", written[0], StringComparison.Ordinal);
    }

    [Fact]
    public void WithTenths_AFastEpochStillWritesOneLineEachTenth_AndNoMore()
    {
        var clock = new StepClock();
        using var writer = new StringWriter();
        var lines = new CountProgressLines(writer, "pretrain-clip epoch 2/5", 200, TimeSpan.FromSeconds(30), clock, tenths: true);

        for (var step = 1; step <= 200; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10)); // 2 s in all: the interval alone would write none
            lines.Report(step);
        }

        var written = Written(writer);
        Assert.Equal(10, written.Length);
        Assert.All(written.Select((line, i) => (line, i)), x => Assert.StartsWith($"pretrain-clip epoch 2/5: {(x.i + 1) * 20}/200 ", x.line, StringComparison.Ordinal));
    }

    [Fact]
    public void WithNoKnownTotal_ShowsTheCountAndRate()
    {
        var clock = new StepClock();
        using var writer = new StringWriter();
        var lines = new CountProgressLines(writer, "reading", 0, TimeSpan.FromSeconds(5), clock);

        clock.Advance(TimeSpan.FromSeconds(5));
        lines.Report(50);
        lines.Complete();

        Assert.Equal(["reading: 50, 10.0/s", "reading: 50, 10.0/s"], Written(writer));
    }

    private static string[] Written(StringWriter writer) => writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
