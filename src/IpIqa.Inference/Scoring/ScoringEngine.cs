using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using IpIqa.Core.Batching;
using IpIqa.Core.Bundles;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;
using IpIqa.Core.Jobs;
using IpIqa.Core.Logging;
using IpIqa.Core.Tokenization;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;
using IpIqa.Inference.Preprocessing;
using Microsoft.Extensions.Logging;

namespace IpIqa.Inference.Scoring;

/// <summary>
/// Scores (image, prompt) pairs: decode and preprocess on a bounded CPU pool, tokenise, then the
/// dynamic batcher in front of the model. Every item ends as scores or as its own error; a bad
/// image never fails its batch. It is Core's <see cref="IImageScorer"/> port, behind the one
/// <see cref="ScoringService"/> that the worker, <c>ipiqa score</c> and <c>ipiqa rescore</c> call.
/// </summary>
public sealed class ScoringEngine : IImageScorer, IAsyncDisposable
{
    private readonly IModelSession _session;
    private readonly IPromptTokenizer _tokenizer;
    private readonly IImagePreprocessor _preprocessor;
    private readonly InferenceMetrics _metrics;
    private readonly ILogger<ScoringEngine> _logger;
    private readonly DynamicBatcher<PreparedItem, BatchOutput> _batcher;
    private readonly SemaphoreSlim _cpuPool;
    private readonly HeadScorer _head;
    private readonly PreprocessingOptions _preprocessing;
    private readonly int _maxPromptBytes;
    private ModelInfo? _modelInfo;

    public ScoringEngine(
        IModelSession session,
        IPromptTokenizer tokenizer,
        IImagePreprocessor preprocessor,
        TextFeatureCache cache,
        InferenceMetrics metrics,
        ScoringEngineOptions options,
        ILogger<ScoringEngine> logger,
        DeviceHealth? device = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(options);
        if (tokenizer.ContextLength != session.ContextLength)
        {
            throw new InvalidDataException($"The tokenizer makes {tokenizer.ContextLength} ids per prompt but the model takes {session.ContextLength}.");
        }

        if (options.Batching.MaxBatchSize > session.MaxBatchSize)
        {
            throw new ArgumentException($"Batching MaxBatchSize {options.Batching.MaxBatchSize} exceeds the session's buffers ({session.MaxBatchSize}).", nameof(options));
        }

        _session = session;
        _tokenizer = tokenizer;
        _preprocessor = preprocessor;
        _metrics = metrics;
        _logger = logger;
        Device = device ?? new DeviceHealth();
        _preprocessing = options.Preprocessing;
        _maxPromptBytes = options.MaxPromptBytes;
        var pool = PreprocessingPoolSize.For(options.Preprocessing.Parallelism);
        PreprocessingThreads = pool.Size;
        _cpuPool = new SemaphoreSlim(pool.Size);
        var scorer = new BatchScorer(session, cache, metrics);
        _head = new HeadScorer(session, cache, scorer);
        _batcher = new DynamicBatcher<PreparedItem, BatchOutput>(scorer.RunAsync, options.Batching);
        MaxInFlight = options.Batching.MaxBatchSize * 2 + pool.Size;
        logger.PreprocessingPool(pool.Size, pool.Source);
    }

    /// <summary>Images decoded at once (<see cref="PreprocessingPoolSize"/>).</summary>
    public int PreprocessingThreads { get; }

    public ModelIdentity Model => _session.Identity;

    ModelInfo IImageScorer.Model => _modelInfo ??= Model.ToModelInfo();

    public string ExecutionProviderName => _session.ExecutionProviderName;

    /// <summary>Faulted while model runs fail through the device or runtime; sound after a batch succeeds.</summary>
    public DeviceHealth Device { get; }

    /// <summary>Requests <see cref="ScoreAllAsync"/> keeps in progress at once.</summary>
    public int MaxInFlight { get; }

    /// <summary>Decodes every image this engine scores; a picture of one (an explanation's overlay) decodes through it too.</summary>
    public IImagePreprocessor Preprocessor => _preprocessor;

    /// <summary>Largest image file this engine reads, in bytes (<c>IpIqa:Preprocessing:MaxBytes</c>).</summary>
    public long MaxImageBytes => _preprocessing.MaxBytes;

    /// <summary>
    /// Scores one pair. Item failures come back as <see cref="ScorerOutcome.Error"/>. A model run that
    /// fails through the device or runtime faults <see cref="Device"/> and throws <see cref="DeviceFaultException"/>:
    /// the engine, not the item, failed. Otherwise only cancellation throws.
    /// </summary>
    public async Task<ScorerOutcome> ScoreAsync(ScorerInput request, CancellationToken cancellationToken) =>
        (await ScoreCoreAsync(request, explain: false, keepFeatures: false, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>Whether the bundle's image graph has the <c>attention</c> output that <see cref="ScoreExplainedAsync"/> reads.</summary>
    public bool CanExplain => _session.AttentionGrid > 0;

    /// <summary>
    /// <see cref="ScoreAsync"/>, also returning where the prompt looked (<see cref="AttentionMap"/>), read from
    /// the same model run. Only batches holding such a request bind the attention output.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no attention output (<see cref="CanExplain"/> is false); the message says to re-export it.</exception>
    public Task<ExplainedOutcome> ScoreExplainedAsync(ScorerInput request, CancellationToken cancellationToken) =>
        ScoreExplainedAsync(request, keepFeatures: false, cancellationToken);

    /// <summary>
    /// <see cref="ScoreExplainedAsync(ScorerInput, CancellationToken)"/>; with <paramref name="keepFeatures"/> and
    /// <see cref="ReusesImageFeatures"/>, the outcome also holds the item's <see cref="ImageFeatures"/> for <see cref="ScorePromptsAsync"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no attention output (<see cref="CanExplain"/> is false); the message says to re-export it.</exception>
    public Task<ExplainedOutcome> ScoreExplainedAsync(ScorerInput request, bool keepFeatures, CancellationToken cancellationToken)
    {
        if (!CanExplain)
        {
            throw new NotSupportedException(NoAttentionMessage(Model));
        }

        return ScoreCoreAsync(request, explain: true, keepFeatures && ReusesImageFeatures, cancellationToken);
    }

    /// <summary>
    /// Whether the bundle has a head graph: an image explained with its features kept can be scored against other
    /// prompts (<see cref="ScorePromptsAsync"/>) without running the image graph again. Bundles exported before head
    /// graphs existed have none (<c>ipiqa-train add-head</c> gives them one).
    /// </summary>
    public bool ReusesImageFeatures => CanExplain && _session.HasHead;

    /// <summary>
    /// The scores of the image whose <paramref name="features"/> were kept with each of <paramref name="prompts"/>: the text
    /// tower (through the cache) and the head graph run, the image graph does not. A prompt that fails tokenisation or scores
    /// a non-finite value gets null. A run that fails through the device faults <see cref="Device"/> and throws <see cref="DeviceFaultException"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The bundle has no head graph (<see cref="ReusesImageFeatures"/> is false).</exception>
    public async Task<IReadOnlyList<Scores?>> ScorePromptsAsync(ImageFeatures features, IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(prompts);
        if (!ReusesImageFeatures)
        {
            throw new NotSupportedException($"Model {Model} has no head graph; score each prompt with ScoreAsync, or give the bundle one with ipiqa-train add-head.");
        }

        var ids = prompts.Select(TryTokenize).ToArray();
        var valid = ids.OfType<long[]>().ToArray();
        Scores[] scored;
        try
        {
            scored = valid.Length == 0 ? [] : await Task.Run(() => _head.Run(features, valid), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DeviceFaults.IsDeviceFault(ex))
        {
            Device.Faulted(ex);
            _metrics.DeviceFault();
            throw new DeviceFaultException($"The head graph run failed through the device or runtime: {ex.GetType().Name}: {ex.Message}");
        }

        var next = 0;
        return [.. ids.Select(i => i is null ? null : scored[next++]).Select(s => s is { } v && double.IsFinite(v.Quality) && double.IsFinite(v.Alignment) ? s : null)];
    }

    /// <summary>The error for a bundle without the attention output.</summary>
    public static string NoAttentionMessage(ModelIdentity model) =>
        $"Model {model} has no '{BundleGraphNames.Attention}' output (it was exported before explanations existed); re-export it with ipiqa-train export.";

    private async Task<ExplainedOutcome> ScoreCoreAsync(ScorerInput request, bool explain, bool keepFeatures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        _metrics.ImageStarted();
        float[]? pixels = null;
        var returnPixels = true;
        TimeSpan read = TimeSpan.Zero, preprocess = TimeSpan.Zero, queue = TimeSpan.Zero;
        try
        {
            var ids = Tokenize(request.Prompt);
            // On its way from here: a partial batch that the items being prepared would fill waits for them.
            using var incoming = _batcher.Announce();
            await _cpuPool.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                (pixels, read, preprocess) = await Task.Run(() => Prepare(request.Image), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _cpuPool.Release();
            }

            var enqueued = Stopwatch.GetTimestamp();
            BatchOutput output;
            try
            {
                output = await incoming.EnqueueAsync(new PreparedItem(pixels, ids, explain, keepFeatures), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                returnPixels = false; // the running batch may still read the buffer
                throw;
            }
            catch (Exception ex) when (DeviceFaults.IsDeviceFault(ex))
            {
                Device.Faulted(ex);
                _metrics.DeviceFault();
                _logger.DeviceFault(request.Image.Name, ex);
                throw new DeviceFaultException($"The model run failed through the device or runtime, not this item: {ex.GetType().Name}: {ex.Message}");
            }

            Device.Succeeded();
            queue = Stopwatch.GetElapsedTime(enqueued) - output.Inference;
            RequireFinite(output.Scores);
            _metrics.ItemScored();
            var timings = new ScoreTimings(read, preprocess, queue < TimeSpan.Zero ? TimeSpan.Zero : queue, output.Inference, Stopwatch.GetElapsedTime(started), output.BatchSize);
            return new ExplainedOutcome(new ScorerOutcome(output.Scores, null, timings), output.Attention, output.Features);
        }
        catch (IpIqaException ex)
        {
            return new ExplainedOutcome(Fail(request, ex.Code, ex.Message, started, read, preprocess), null);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DeviceFaultException))
        {
            return new ExplainedOutcome(Fail(request, ErrorCodes.ScoringFailed, ex.Message, started, read, preprocess), null);
        }
        finally
        {
            _metrics.ImageFinished();
            if (pixels is not null && returnPixels)
            {
                ArrayPool<float>.Shared.Return(pixels);
            }
        }
    }

    /// <summary>Scores every request, yielding results in input order with at most <see cref="MaxInFlight"/> in progress.</summary>
    public async IAsyncEnumerable<ScorerOutcome> ScoreAllAsync(IEnumerable<ScorerInput> requests, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var window = new Queue<Task<ScorerOutcome>>(MaxInFlight);
        foreach (var request in requests)
        {
            window.Enqueue(ScoreAsync(request, cancellationToken));
            if (window.Count >= MaxInFlight)
            {
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }

        while (window.Count > 0)
        {
            yield return await window.Dequeue().ConfigureAwait(false);
        }
    }

    /// <summary>Finishes the queued batches, then stops; cancelling <paramref name="cancellationToken"/> abandons what is left.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _batcher.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _cpuPool.Dispose();
    }

    // JSON has no NaN or infinity, and no threshold can judge one: such a score is the model's failure on this item.
    private static void RequireFinite(Scores scores)
    {
        if (!double.IsFinite(scores.Quality) || !double.IsFinite(scores.Alignment))
        {
            throw new IpIqaException(ErrorCodes.ScoringFailed, $"The model returned a non-finite score (quality {scores.Quality}, alignment {scores.Alignment}).");
        }
    }

    private long[]? TryTokenize(string prompt)
    {
        try
        {
            return Tokenize(prompt);
        }
        catch (IpIqaException)
        {
            return null;
        }
    }

    private long[] Tokenize(string prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new IpIqaException(ErrorCodes.PromptInvalid, "The prompt is empty.");
        }

        var bytes = Encoding.UTF8.GetByteCount(prompt);
        if (bytes > _maxPromptBytes)
        {
            throw new IpIqaException(ErrorCodes.PromptInvalid, $"The prompt has {bytes} UTF-8 bytes; the limit is {_maxPromptBytes}.");
        }

        return _tokenizer.Encode(prompt).Ids;
    }

    private (float[] Pixels, TimeSpan Read, TimeSpan Preprocess) Prepare(ImageInput image)
    {
        var started = Stopwatch.GetTimestamp();
        byte[]? rented = null;
        ReadOnlyMemory<byte> encoded = image.Bytes;
        if (image.Path is { } path)
        {
            (rented, var length) = ImageFiles.ReadPooled(path, _preprocessing.MaxBytes);
            encoded = rented.AsMemory(0, length);
        }
        else if (encoded.Length > _preprocessing.MaxBytes)
        {
            throw new IpIqaException(ErrorCodes.ImageTooLarge, $"Image '{image.Name}' has {encoded.Length} bytes; the limit is {_preprocessing.MaxBytes}.");
        }

        var read = Stopwatch.GetElapsedTime(started);
        var spec = _session.Preprocess;
        var pixels = ArrayPool<float>.Shared.Rent(spec.TensorLength);
        try
        {
            _preprocessor.Preprocess(encoded.Span, spec, pixels.AsSpan(0, spec.TensorLength));
        }
        catch
        {
            ArrayPool<float>.Shared.Return(pixels);
            throw;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return (pixels, read, Stopwatch.GetElapsedTime(started) - read);
    }

    private ScorerOutcome Fail(ScorerInput request, string code, string message, long started, TimeSpan read, TimeSpan preprocess)
    {
        _metrics.ItemFailed(code);
        _logger.ItemFailed(LogText.Escape(request.Image.Name)!, code, LogText.Escape(message)!);
        var timings = new ScoreTimings(read, preprocess, TimeSpan.Zero, TimeSpan.Zero, Stopwatch.GetElapsedTime(started), 0);
        return new ScorerOutcome(null, new ResultError(code, message), timings);
    }
}
