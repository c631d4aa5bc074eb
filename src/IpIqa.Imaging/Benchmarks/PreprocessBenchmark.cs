using System.Diagnostics;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Benchmarks;

/// <summary>
/// Times decode + resize + normalise over encoded files held in memory: one untimed warm-up pass,
/// then <c>rounds</c> timed passes shared by <c>threads</c> workers, each with its own output buffer.
/// </summary>
public sealed class PreprocessBenchmark(IImagePreprocessor preprocessor, string decoder)
{
    public PreprocessBenchmarkResult Run(IReadOnlyList<byte[]> files, PreprocessSpec spec, int threads, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfZero(files.Count, nameof(files));
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);

        var warmUp = new float[spec.TensorLength];
        foreach (var file in files)
        {
            preprocessor.Preprocess(file, spec, warmUp);
        }

        var total = files.Count * rounds;
        var next = -1;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gc = GcSnapshot.Take();
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var tensor = new float[spec.TensorLength];
            int i;
            while ((i = Interlocked.Increment(ref next)) < total && !cancellationToken.IsCancellationRequested)
            {
                preprocessor.Preprocess(files[i % files.Count], spec, tensor);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        stopwatch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var gcShare = GcSnapshot.Since(gc, total);
        cancellationToken.ThrowIfCancellationRequested();

        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new PreprocessBenchmarkResult(
            total,
            Math.Round(seconds * 1000.0 * threads / total, 3),
            Math.Round(total / seconds, 2),
            threads,
            spec.Size,
            decoder,
            Math.Round(cpu.TotalMilliseconds / total, 3))
        {
            Gc = gcShare,
        };
    }
}
