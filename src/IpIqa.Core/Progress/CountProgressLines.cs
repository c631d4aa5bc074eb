using System.Globalization;

namespace IpIqa.Core.Progress;

/// <summary>
/// Progress as plain lines where there is no terminal for a live bar (CI, logs): <c>label: done/total
/// (percent), rate/s, ETA</c>, at most one per <c>interval</c> and, when <c>tenths</c> is set, also one
/// each time the count reaches a further tenth of the total; always the last count on <see cref="Complete"/>.
/// With a total of 0 or less (not known in advance) a line shows the count and rate only.
/// Reports may come from several threads, in any order; the count shown only moves forward (#15).
/// </summary>
public sealed class CountProgressLines(TextWriter writer, string label, long total, TimeSpan interval, TimeProvider? time = null, bool tenths = false)
    : IProgress<int>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly long _started = (time ?? TimeProvider.System).GetTimestamp();
    private readonly Lock _gate = new();
    private long _done;
    private TimeSpan _last;
    private long _lastTenth;

    /// <summary>The lines written so far.</summary>
    public int Lines { get; private set; }

    public void Report(int value)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, value);
            var now = _time.GetElapsedTime(_started);
            var tenth = tenths && total > 0 ? Math.Min(_done * 10 / total, 10) : 0;
            if (now - _last >= interval || tenth > _lastTenth)
            {
                _last = now;
                _lastTenth = tenth;
                Write(now);
            }
        }
    }

    /// <summary>Writes the final line: every item done (with no known total: the count reached).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _done = total > 0 ? total : _done;
            Write(_time.GetElapsedTime(_started));
        }
    }

    private void Write(TimeSpan elapsed)
    {
        Lines++;
        var rate = _done / Math.Max(elapsed.TotalSeconds, 1e-9);
        if (total <= 0)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {_done}, {rate:F1}/s"));
            return;
        }

        var left = total - _done;
        var eta = rate > 0 && left > 0 ? string.Create(CultureInfo.InvariantCulture, $", ETA {TimeSpan.FromSeconds(left / rate):hh\\:mm\\:ss}") : "";
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {_done}/{total} ({100.0 * _done / total:F0}%), {rate:F1}/s{eta}"));
    }
}
