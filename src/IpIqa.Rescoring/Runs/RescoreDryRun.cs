using IpIqa.Core.Contracts;
using IpIqa.Core.Calibration;
using System.Diagnostics;
using IpIqa.Core.Errors;
using IpIqa.Inference.Scoring;

namespace IpIqa.Rescoring;

/// <summary>
/// <c>--dry-run</c>: lists the whole source (count, bytes, images with no prompt) and estimates the
/// time from <c>--assumed-rate</c>, else from scoring a short sample of the first images in-process.
/// </summary>
internal static class RescoreDryRun
{
    public static async Task<int> RunAsync(RescoreSettings settings, RescoreHost host, IRescoreSource source, TextWriter output, CancellationToken cancellationToken)
    {
        long count = 0, bytes = 0, noPrompt = 0;
        var sample = new List<RescoreItem>();
        var sampleSize = settings.BatchSize * 4;
        await foreach (var page in source.ListAsync(null, settings.PageSize, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items.Where(i => !i.Deleted)) // a deletion is no image to score
            {
                count++;
                bytes += item.Size;
                if (item.Prompt is null)
                {
                    noPrompt++;
                }
                else if (sample.Count < sampleSize)
                {
                    sample.Add(item);
                }
            }
        }

        var rate = settings.AssumedRate ?? await MeasureAsync(settings, host, source, sample, cancellationToken).ConfigureAwait(false);
        var estimate = rate > 0 ? TimeSpan.FromSeconds(count / rate) : TimeSpan.Zero;
        await output.WriteLineAsync($"source:    {source.Description}").ConfigureAwait(false);
        await output.WriteLineAsync($"images:    {count} ({noPrompt} with no prompt)").ConfigureAwait(false);
        await output.WriteLineAsync($"size:      {bytes} bytes ({bytes / 1048576.0:F1} MiB)").ConfigureAwait(false);
        await output.WriteLineAsync($"rate:      {rate:F1} images/s ({(settings.AssumedRate is null ? $"measured on {sample.Count} images" : "assumed")})").ConfigureAwait(false);
        await output.WriteLineAsync($"estimate:  {estimate:hh\\:mm\\:ss}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<double> MeasureAsync(RescoreSettings settings, RescoreHost host, IRescoreSource source, List<RescoreItem> sample, CancellationToken cancellationToken)
    {
        if (sample.Count == 0)
        {
            return 0;
        }

        await using var loaded = host.LoadEngine();
        var processor = InProcessProcessor.Create(loaded, source, "dry-run", settings, Thresholds.None, ScoreCalibration.None);
        await processor.ProcessAsync(sample[0], cancellationToken).ConfigureAwait(false); // warm-up
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(sample.Select(item => processor.ProcessAsync(item, cancellationToken))).ConfigureAwait(false);
        return sample.Count / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
    }
}
