using System.Diagnostics;
using System.Globalization;

namespace IpIqa.Training.Commands;

/// <summary>
/// Progress as plain lines where there is no terminal for a live bar (CI, logs): <c>label: done/total
/// (percent), rate/s, ETA</c>, at most one per <c>interval</c>, and always the last count on <see cref="Complete"/>.
/// Reports may come from several threads, in any order; the count shown only moves forward (#15).
/// </summary>
internal sealed class CountProgressLines(TextWriter writer, string label, long total, TimeSpan interval) : IProgress<int>
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _done;
    private TimeSpan _last;

    public void Report(int value)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, value);
            var now = _watch.Elapsed;
            if (now - _last >= interval)
            {
                _last = now;
                writer.WriteLine(Line(now));
            }
        }
    }

    /// <summary>Writes the final line: every item done.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _done = total;
            writer.WriteLine(Line(_watch.Elapsed));
        }
    }

    private string Line(TimeSpan elapsed)
    {
        var rate = _done / Math.Max(elapsed.TotalSeconds, 1e-9);
        var left = total - _done;
        var eta = rate > 0 && left > 0 ? string.Create(CultureInfo.InvariantCulture, $", ETA {TimeSpan.FromSeconds(left / rate):hh\\:mm\\:ss}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{label}: {_done}/{total} ({100.0 * _done / Math.Max(total, 1):F0}%), {rate:F1}/s{eta}");
    }
}
