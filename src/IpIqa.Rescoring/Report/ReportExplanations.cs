using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using SixLabors.ImageSharp;

namespace IpIqa.Rescoring;

/// <summary>
/// <c>ipiqa rescore --explain N</c> (#15): after a run scored, its <c>N</c> rejected images furthest below the
/// thresholds (<see cref="ReportRejections"/>, at most <see cref="MaxCount"/>) are scored again as requests with
/// <c>"explain": {"words": true}</c> through the one <see cref="ScoringService"/> and the engine's explainer, as a
/// worker job is. The overlay and map go to the run's <c>explanations/</c> folder; the report shows each overlay
/// (a <see cref="ReportThumbnails.MaxSide"/> px JPEG) and the words the image does not support. Prompts over
/// <see cref="ScoringOptions.DefaultMaxExplainWords"/> words get their overlay without words.
/// </summary>
internal static class ReportExplanations
{
    /// <summary>Most images a run explains: each costs one model run per prompt word, and the report carries its overlay.</summary>
    public const int MaxCount = 20;

    public const string FolderName = "explanations";

    /// <summary>Largest overlay read back: an overlay is a PNG of at most <see cref="AttentionOverlay.MaxSide"/> px a side, under 1 MiB even stored uncompressed.</summary>
    public const int MaxOverlayBytes = 4 << 20;

    /// <summary>Before the run: with <see cref="RescoreSettings.ExplainCount"/> above 0, the run's engine must have the attention output.</summary>
    public static void CheckCanExplain(LoadedScoringEngine? loaded, RescoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ExplainCount > 0 && loaded is not null && !loaded.Engine.CanExplain)
        {
            throw new InvalidDataException($"--explain: {ScoringEngine.NoAttentionMessage(loaded.Engine.Model)}");
        }
    }

    /// <summary>
    /// With <see cref="RescoreSettings.ExplainCount"/> above 0: explains that many of the run's rejected images with
    /// the engine that scored the run (<paramref name="loaded"/>; null only for <c>--enqueue</c>, which cannot explain)
    /// into <paramref name="runFolder"/>/<see cref="FolderName"/>, with their <see cref="ExplanationIndex"/>; otherwise none.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ReportExplanation>> CreateAsync(
        LoadedScoringEngine? loaded, IRescoreSource source, IEnumerable<RescoreRecord> records, RescoreSettings settings, Thresholds thresholds, string runFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ExplainCount <= 0 || loaded is null)
        {
            return new Dictionary<string, ReportExplanation>();
        }

        CheckCanExplain(loaded, settings);
        var folder = Path.Combine(runFolder, FolderName);
        var explained = await CreateAsync(loaded, source, records, settings.ExplainCount, thresholds, settings, folder, cancellationToken).ConfigureAwait(false);
        ExplanationIndex.Write(folder, explained);
        return explained;
    }

    /// <summary>The explanations of the <paramref name="count"/> rejected images furthest below <paramref name="thresholds"/>, by key.</summary>
    public static async Task<IReadOnlyDictionary<string, ReportExplanation>> CreateAsync(
        LoadedScoringEngine loaded,
        IRescoreSource source,
        IEnumerable<RescoreRecord> records,
        int count,
        Thresholds thresholds,
        RescoreSettings settings,
        string folder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(settings);
        var explained = new Dictionary<string, ReportExplanation>(StringComparer.Ordinal);
        var worst = Worst(records, thresholds, count);
        if (worst.Count == 0)
        {
            return explained;
        }

        var images = new RescoreImageSource(source);
        var options = new ScoringOptions { MaxImageBytes = settings.MaxImageBytes, MaxPromptBytes = settings.MaxPromptBytes, DefaultThresholds = thresholds, Calibration = ScoreCalibration.None };
        using var metrics = new JobMetrics();
        var scoring = new ScoringService(loaded.Engine, [images], options, metrics, TimeProvider.System, new EngineExplainer(loaded.Engine), new FolderExplanationStore(folder));
        foreach (var record in worst)
        {
            var item = new RescoreItem(record.Key, record.Location, record.Size, record.Version, record.Prompt)
            {
                LocalPath = File.Exists(record.Location) ? record.Location : null,
            };
            using (images.Pending(item))
            {
                var request = new ScoringRequest(record.Key, RescoreImageSource.ReferenceOf(item), record.Prompt) { Explain = true, ExplainWords = true };
                var result = await scoring.ScoreAsync(request, cancellationToken).ConfigureAwait(false);
                explained[record.Key] = new ReportExplanation(record.Key, await OverlayAsync(result.Explanation, cancellationToken).ConfigureAwait(false), result.Explanation, result.Error);
            }
        }

        return explained;
    }

    /// <summary>The keys' records of the <paramref name="count"/> rejected images furthest below <paramref name="thresholds"/>, with a prompt.</summary>
    public static IReadOnlyList<RescoreRecord> Worst(IEnumerable<RescoreRecord> records, Thresholds thresholds, int count)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rejections = new ReportRejections(thresholds);
        foreach (var record in records)
        {
            if (record.Prompt is not null)
            {
                rejections.Add(record);
            }
        }

        return [.. rejections.Worst().Take(Math.Clamp(count, 0, MaxCount)).Select(r => r.Record)];
    }

    /// <summary>
    /// The stored overlay, fitted to the report's thumbnail size as a base64 JPEG; null when there is none or it cannot be
    /// read. The file is read back from the run folder as an image is (<see cref="ImageFiles"/>): a regular file of at
    /// most <see cref="MaxOverlayBytes"/>. Whoever could write the folder could swap it for a FIFO (the report blocked
    /// for ever) or a link to <c>/dev/zero</c> (read to 2 GiB); such an item is shown without its picture.
    /// </summary>
    internal static async Task<string?> OverlayAsync(ResultExplanation? explanation, CancellationToken cancellationToken)
    {
        if (explanation?.Overlay is not { } path)
        {
            return null;
        }

        try
        {
            return ReportThumbnails.Thumbnail(await ImageFiles.ReadAsync(path, Path.GetFileName(path), MaxOverlayBytes, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageFormatException or IpIqaException)
        {
            return null; // the report shows the words without a picture
        }
    }
}
