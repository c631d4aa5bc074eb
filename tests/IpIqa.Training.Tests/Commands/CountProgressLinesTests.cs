using IpIqa.Training.Commands;

namespace IpIqa.Training.Tests.Commands;

/// <summary>Plain progress lines of <c>ipiqa-train synth</c> with no terminal (#15).</summary>
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

        var written = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, written.Length);
        Assert.StartsWith("rendering: 6/10 (60%), ", written[0], StringComparison.Ordinal);
        Assert.StartsWith("rendering: 6/10 (60%), ", written[1], StringComparison.Ordinal);
        Assert.Matches(@"^rendering: 10/10 \(100%\), [0-9.]+/s$", written[2]);
        Assert.Contains("/s, ETA ", written[0], StringComparison.Ordinal);
    }
}
