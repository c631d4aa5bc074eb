using System.Diagnostics;
using System.Globalization;
using IpIqa.Imaging.Benchmarks;

namespace IpIqa.Cli.Benchmarks;

/// <summary>Wall-clock and whole-process CPU time since it started; CPU time is the steadier figure on a shared machine.</summary>
internal sealed class BenchClock
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _cpuStarted = ProcessCpu();
    private readonly GcSnapshot _gcStarted = GcSnapshot.Take();

    public static BenchClock Start() => new();

    public Reading Read() => new(Stopwatch.GetElapsedTime(_started), ProcessCpu() - _cpuStarted) { GcStarted = _gcStarted };

    /// <summary>The one-minute load average from <c>/proc/loadavg</c>, or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            var first = text.Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Elapsed wall time and CPU time of all the process's threads.</summary>
    public sealed record Reading(TimeSpan Wall, TimeSpan Cpu)
    {
        /// <summary>The GC counters when the clock started; <see cref="GcSnapshot.Since"/> reads the share up to now.</summary>
        public GcSnapshot GcStarted { get; init; }
    }
}
