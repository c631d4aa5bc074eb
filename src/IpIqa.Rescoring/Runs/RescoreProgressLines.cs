using System.Diagnostics;

namespace IpIqa.Rescoring;

/// <summary>Progress as plain lines (done, skipped, rate, ETA when the expected count is known), at most one per <c>interval</c>.</summary>
internal sealed class RescoreProgressLines(TextWriter writer, long expected, TimeSpan interval) : IProgress<RescoreProgress>
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _last;

    public void Report(RescoreProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var now = _watch.Elapsed;
        if (now - _last < interval)
        {
            return;
        }

        _last = now;
        var rate = value.Processed / Math.Max(now.TotalSeconds, 1e-9);
        var left = expected - value.Listed;
        var eta = expected > 0 && rate > 0 && left > 0 ? $", ETA {TimeSpan.FromSeconds(left / rate):hh\\:mm\\:ss}" : "";
        writer.WriteLine($"rescoring: {value.Listed} listed, {value.Processed} done, {value.Skipped} skipped, {value.Failed} failed, {rate:F1}/s{eta}");
    }
}
