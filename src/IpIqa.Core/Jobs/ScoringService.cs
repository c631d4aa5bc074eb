using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Jobs;

/// <summary>
/// The one scoring path: request → fetch → prompt → score (through the scorer's dynamic batcher) →
/// verdict → calibration → <see cref="ScoringResult"/>. The worker (<see cref="JobProcessor"/>),
/// <c>ipiqa score</c> and <c>ipiqa rescore</c> all call it, so the same request gives the same result
/// whichever front door it came through. A request that can never score (source not allowed, image
/// missing, too large or undecodable, prompt missing or invalid, model failure on the item) comes back as an
/// error result. Only cancellation, a device fault (<see cref="DeviceFaultException"/>) and a
/// transient fetch failure (throttling, 5xx, network) throw: retrying those may succeed.
/// A request with <c>"explain": true</c> (or <c>{"words": true}</c>, within <see cref="ScoringOptions.MaxExplainWords"/>) is scored through the <see cref="IImageExplainer"/> (the same model and
/// batcher) and its explanation stored in the <see cref="IExplanationStore"/>, only when the front door was given
/// one (explanations enabled); otherwise it is scored as usual and its result says why there is no explanation.
/// A store that fails throws, like a sink: the job is transient.
/// </summary>
public sealed class ScoringService
{
    private readonly IImageScorer _scorer;
    private readonly IImageSource[] _sources;
    private readonly JobMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly VerdictCalculator _verdicts;

    private readonly IImageExplainer? _explainer;
    private readonly IExplanationStore? _explanations;

    public ScoringService(
        IImageScorer scorer,
        IEnumerable<IImageSource> imageSources,
        ScoringOptions options,
        JobMetrics metrics,
        TimeProvider clock,
        IImageExplainer? explainer = null,
        IExplanationStore? explanations = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(imageSources);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(clock);
        _scorer = scorer;
        _sources = [.. imageSources];
        Options = options;
        _metrics = metrics;
        _clock = clock;
        _verdicts = new VerdictCalculator(options.DefaultThresholds);
        _explainer = explainer;
        _explanations = explanations;
    }

    /// <summary>The loaded model (bundle name, version, hash) that every result names.</summary>
    public ModelInfo Model => _scorer.Model;

    public ScoringOptions Options { get; }

    public async Task<ScoringResult> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        FetchedImage image;
        try
        {
            image = await FetchAsync(request.Image, cancellationToken).ConfigureAwait(false);
        }
        catch (IpIqaException ex)
        {
            return Failed(request, new ResultError(ex.Code, ex.Message));
        }

        return await ScoreFetchedAsync(request, image, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Scores an image the caller already holds (an HTTP request's inline image): the same path from the prompt on,
    /// with no image source. <paramref name="request"/>'s image names it in results; it may have neither URI nor path.
    /// </summary>
    public Task<ScoringResult> ScoreAsync(ScoringRequest request, ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        if (image.Length == 0)
        {
            return Task.FromResult(Failed(request, new ResultError(ErrorCodes.ImageEmpty, $"Image of job '{request.JobId}' is empty.")));
        }

        if (image.Length > Options.MaxImageBytes)
        {
            return Task.FromResult(Failed(request, new ResultError(ErrorCodes.ImageTooLarge, $"Image of job '{request.JobId}' has {image.Length} bytes; the limit is {Options.MaxImageBytes} (IpIqa:Preprocessing:MaxBytes).")));
        }

        return ScoreFetchedAsync(request, new FetchedImage(image, $"inline:{request.JobId}"), started, cancellationToken);
    }

    private async Task<ScoringResult> ScoreFetchedAsync(ScoringRequest request, FetchedImage image, long started, CancellationToken cancellationToken)
    {
        var fetch = Stopwatch.GetElapsedTime(started);
        _metrics.Stage("fetch", fetch);
        var name = request.Image.Uri ?? request.Image.Path ?? request.JobId;
        if (!TryResolvePrompt(request, image, name, out var prompt, out var promptError))
        {
            return Failed(request, promptError);
        }

        var input = new ScorerInput(ImageInput.FromBytes(name, image.Bytes), prompt);
        var refusal = request.Explain ? ExplainRefusal() : null;
        var explain = request.Explain && refusal is null;
        var words = explain && request.ExplainWords;
        if (words && WordAttribution.Split(prompt).Length is var count && count > Options.MaxExplainWords)
        {
            // Each word costs one more model run: a long prompt gets its map, and why it has no words.
            words = false;
            refusal = ResultExplanation.Refused(ExplainCodes.TooManyWords, $"The prompt has {count} words; words are attributed for at most {Options.MaxExplainWords} (IpIqa:Sinks:Explain:MaxWords).");
        }

        var stem = explain ? ExplanationNames.ForJob(request.JobId, Model.Hash) : null;
        ExplainedScore? explained = null;
        var scored = explain
            ? (explained = await _explainer!.ScoreExplainedAsync(input, stem!, words, cancellationToken).ConfigureAwait(false)).Outcome
            : await _scorer.ScoreAsync(input, cancellationToken).ConfigureAwait(false);
        var decode = scored.Timings.Read + scored.Timings.Preprocess;
        _metrics.Stage("decode", decode);
        if (!scored.IsSuccess)
        {
            return Failed(request with { Prompt = prompt }, scored.Error);
        }

        _metrics.Stage("model", scored.Timings.Inference);
        var scores = scored.Scores;
        var verdict = _verdicts.Decide(scores, request.Thresholds);
        var timings = new ResultTimings(
            Math.Round(fetch.TotalMilliseconds, 3),
            Math.Round(decode.TotalMilliseconds, 3),
            Math.Round(scored.Timings.Inference.TotalMilliseconds, 3),
            Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3));
        var percentiles = Options.Calibration.PercentilesOf(scores.Quality, scores.Alignment)?.Rounded();
        var result = ScoringResult.Scored(request with { Prompt = prompt }, scores, verdict, Model, _clock.GetUtcNow(), timings, percentiles);
        if (explained?.Explanation is not { } explanation)
        {
            return refusal is null ? result : result with { Explanation = refusal };
        }

        var saved = await _explanations!.SaveAsync(stem!, explanation, cancellationToken).ConfigureAwait(false);
        return result with { Explanation = saved with { Words = explanation.Words, Error = refusal?.Error } };
    }

    /// <summary>Null when a request's explanation can be made; else why not.</summary>
    private ResultExplanation? ExplainRefusal()
    {
        if (_explanations is null || _explainer is null)
        {
            return ResultExplanation.Refused(ExplainCodes.Disabled, "This worker does not write explanations (IpIqa:Sinks:Explain:Enabled is false); the job was scored without one.");
        }

        return _explainer.Unavailable is { } reason ? ResultExplanation.Refused(ExplainCodes.Unsupported, reason) : null;
    }

    /// <summary>The error result of <paramref name="request"/>, stamped with this model and the time now.</summary>
    public ScoringResult Failed(ScoringRequest request, ResultError error) =>
        ScoringResult.Failed(request, error, Model, _clock.GetUtcNow());

    /// <summary>The error result of an input that never became a request (a broken message or manifest line).</summary>
    public ScoringResult Failed(ScoringRequestError error) =>
        ScoringResult.Failed(error, Model, _clock.GetUtcNow());

    /// <summary>
    /// The request's prompt or, for a blob event, the prompt in the image's metadata (URL-decoded, see
    /// <see cref="PromptMetadata"/>). None there is <c>prompt_missing</c>; one that fails the prompt rules is <c>prompt_invalid</c>.
    /// </summary>
    private bool TryResolvePrompt(ScoringRequest request, FetchedImage image, string name, [NotNullWhen(true)] out string? prompt, [NotNullWhen(false)] out ResultError? error)
    {
        prompt = request.Prompt;
        error = null;
        if (prompt is not null)
        {
            // The worker's parser checked it already; a manifest's prompt meets the same rule here.
            if (ScoringRequestParser.CheckPrompt(prompt, Options.MaxPromptBytes) is { } invalid)
            {
                prompt = null;
                error = new ResultError(ErrorCodes.PromptInvalid, $"Image '{name}': {invalid}");
                return false;
            }

            return true;
        }

        var key = request.PromptMetadataKey ?? PromptMetadata.DefaultKey;
        prompt = PromptMetadata.Find(image.Metadata, key);
        if (prompt is null)
        {
            error = new ResultError(
                ErrorCodes.PromptMissing,
                $"Image '{name}' has no prompt: the message carries none (a blob event) and the image has no metadata value '{key}' (IpIqa:Events:PromptMetadataKey).");
            return false;
        }

        if (ScoringRequestParser.CheckPrompt(prompt, Options.MaxPromptBytes) is { } problem)
        {
            prompt = null;
            error = new ResultError(ErrorCodes.PromptInvalid, $"Image '{name}', metadata value '{key}': {problem}");
            return false;
        }

        return true;
    }

    private async Task<FetchedImage> FetchAsync(ImageReference image, CancellationToken cancellationToken)
    {
        foreach (var source in _sources)
        {
            if (source.CanFetch(image))
            {
                return await source.FetchAsync(image, Options.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        var where = image.Uri is not null ? $"image.uri '{image.Uri}'" : $"image.path '{image.Path}'";
        throw new IpIqaException(ErrorCodes.SourceNotAllowed, $"{where} is not served by any configured image source.");
    }
}
