using IpIqa.Core.Jobs;
using IpIqa.Core.Batching;
using IpIqa.Core.Errors;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Fakes;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Scoring;

public sealed class ScoringEngineTests : IAsyncLifetime
{
    private readonly FakeModelSession _session = new(maxBatchSize: 4);
    private readonly FakePreprocessor _preprocessor = new();
    private readonly InferenceMetrics _metrics = new();
    private TextFeatureCache _cache = null!;
    private ScoringEngine _engine = null!;

    public ValueTask InitializeAsync()
    {
        _cache = new TextFeatureCache(100, _metrics);
        _engine = CreateEngine(new PreprocessingOptions { Parallelism = 2, MaxBytes = 64 });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        _metrics.Dispose();
    }

    private ScoringEngine CreateEngine(PreprocessingOptions preprocessing) => CreateEngine(_session, preprocessing);

    private ScoringEngine CreateEngine(Onnx.IModelSession session, PreprocessingOptions preprocessing) => new(
        session,
        new FakeTokenizer(),
        _preprocessor,
        _cache,
        _metrics,
        new ScoringEngineOptions
        {
            Batching = new DynamicBatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(20) },
            Preprocessing = preprocessing,
            MaxPromptBytes = 8,
        },
        NullLogger<ScoringEngine>.Instance);

    private static ScorerInput Request(byte pixel, string prompt) => new(ImageInput.FromBytes($"img{pixel}", new[] { pixel }), prompt);

    [Fact]
    public async Task EachResultCarriesTheScoresOfItsOwnImageAndPrompt_InInputOrder()
    {
        var requests = Enumerable.Range(1, 11).Select(i => Request((byte)i, (100 + (i % 3)).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var results = new List<ScorerOutcome>();
        await foreach (var result in _engine.ScoreAllAsync(requests, CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(requests.Length, results.Count);
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.True(results[i].IsSuccess, results[i].Error?.Message);
            Assert.Equal(i + 1, results[i].Scores!.Quality);
            Assert.Equal(100 + ((i + 1) % 3), results[i].Scores!.Alignment);
        }

        Assert.All(_session.BatchSizes, size => Assert.InRange(size, 1, 4));
    }

    [Fact]
    public async Task EachDistinctPromptIsEncodedOnce_AcrossBatches()
    {
        var requests = Enumerable.Range(1, 12).Select(i => Request((byte)i, i % 2 == 0 ? "7" : "8")).ToArray();

        var results = await Task.WhenAll(requests.Select(r => _engine.ScoreAsync(r, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal([7L, 8L], _session.EncodedPrompts.Order());
        Assert.Equal(12, _cache.Hits + _cache.Misses);
        Assert.True(_cache.Hits >= 12 - 4, $"only {_cache.Hits} of 12 lookups hit; the first batch of 4 is the most that can miss");
        Assert.Equal(2, _cache.Count);
    }

    [Fact]
    public async Task APoisonImageFailsAlone_WithScoringFailed()
    {
        var requests = new[] { Request(1, "5"), Request(255, "5"), Request(3, "5"), Request(4, "6") };

        var results = await Task.WhenAll(requests.Select(r => _engine.ScoreAsync(r, CancellationToken.None)));

        Assert.Equal(ErrorCodes.ScoringFailed, results[1].Error?.Code);
        Assert.Contains("cannot run this image", results[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal([1f, 3f, 4f], new[] { results[0], results[2], results[3] }.Select(r => r.Scores!.Quality));
        Assert.True(_engine.Device.IsSound, _engine.Device.LastFault);
    }

    [Theory]
    [InlineData("out of memory")]
    [InlineData("session")]
    [InlineData("device lost")]
    public async Task ARuntimeFailureOnAOneItemBatchIsADeviceFault_UntilABatchSucceeds(string failure)
    {
        var session = new FaultingModelSession(new FakeModelSession(maxBatchSize: 4))
        {
            Fault = failure switch
            {
                "out of memory" => new OutOfMemoryException("CUDA failure 2: out of memory"),
                "session" => new InvalidOperationException("[ErrorCode:RuntimeException] Non-zero status code returned while running Conv node"),
                _ => new System.Runtime.InteropServices.ExternalException("CUDA error cudaErrorDevicesUnavailable: device lost"),
            },
        };
        await using var engine = CreateEngine(session, new PreprocessingOptions { Parallelism = 2, MaxBytes = 64 });

        // The engine, not the item, failed: Core's scorer port throws, and the caller decides (the worker abandons).
        var failed = await Assert.ThrowsAsync<DeviceFaultException>(() => engine.ScoreAsync(Request(1, "5"), CancellationToken.None));

        Assert.Contains(session.Fault!.Message, failed.Message, StringComparison.Ordinal);
        Assert.False(engine.Device.IsSound);
        Assert.Contains(session.Fault!.Message, engine.Device.LastFault, StringComparison.Ordinal);

        session.Fault = null;
        var scored = await engine.ScoreAsync(Request(2, "5"), CancellationToken.None);

        Assert.True(scored.IsSuccess, scored.Error?.Message);
        Assert.True(engine.Device.IsSound);
        Assert.Equal(1, session.FaultedRuns);
    }

    [Fact]
    public async Task AnUndecodableImageReportsThePreprocessorsCode()
    {
        var result = await _engine.ScoreAsync(Request(0, "5"), CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.ImageUndecodable, result.Error.Code);
        Assert.Empty(_session.BatchSizes);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("123456789", "9 UTF-8 bytes")]
    public async Task ABadPromptIsRejectedAsPromptInvalid(string prompt, string expected)
    {
        var result = await _engine.ScoreAsync(Request(1, prompt), CancellationToken.None);

        Assert.Equal(ErrorCodes.PromptInvalid, result.Error?.Code);
        Assert.Contains(expected, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, _preprocessor.Calls);
    }

    [Fact]
    public async Task FilesAreReadFromDisk_AndMissingEmptyOrOversizedFilesGetTheirCodes()
    {
        using var temp = new TempDirectory();
        await File.WriteAllBytesAsync(temp.Combine("ok.bin"), [9]);
        await File.WriteAllBytesAsync(temp.Combine("empty.bin"), []);
        await File.WriteAllBytesAsync(temp.Combine("big.bin"), new byte[65]);

        var ok = await _engine.ScoreAsync(new ScorerInput(ImageInput.FromFile(temp.Combine("ok.bin")), "5"), CancellationToken.None);
        var missing = await _engine.ScoreAsync(new ScorerInput(ImageInput.FromFile(temp.Combine("nope.bin")), "5"), CancellationToken.None);
        var empty = await _engine.ScoreAsync(new ScorerInput(ImageInput.FromFile(temp.Combine("empty.bin")), "5"), CancellationToken.None);
        var big = await _engine.ScoreAsync(new ScorerInput(ImageInput.FromFile(temp.Combine("big.bin")), "5"), CancellationToken.None);

        Assert.Equal(9f, ok.Scores?.Quality);
        Assert.Equal(ErrorCodes.ImageNotFound, missing.Error?.Code);
        Assert.Contains("nope.bin", missing.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.ImageEmpty, empty.Error?.Code);
        Assert.Equal(ErrorCodes.ImageTooLarge, big.Error?.Code);
        Assert.Contains("65 bytes", big.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimingsAccountForEveryStage()
    {
        var result = await _engine.ScoreAsync(Request(2, "5"), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(1, result.Timings.BatchSize);
        Assert.True(result.Timings.Total >= result.Timings.Queue + result.Timings.Inference);
        Assert.True(result.Timings.Total > TimeSpan.Zero);
    }

    [Fact]
    public async Task ACancelledRequestThrows_AndLeavesTheEngineWorking()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.ScoreAsync(Request(1, "5"), cancelled.Token));
        var after = await _engine.ScoreAsync(Request(6, "5"), CancellationToken.None);
        Assert.Equal(6f, after.Scores?.Quality);
    }

    [Fact]
    public void AModelWithoutAQualityOutputIsRefusedByName()
    {
        var session = new NoQualitySession();

        var error = Assert.Throws<InvalidDataException>(() => new ScoringEngine(
            session, new FakeTokenizer(), _preprocessor, _cache, _metrics, new ScoringEngineOptions(), NullLogger<ScoringEngine>.Instance));

        Assert.Contains("'quality'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenizerOfAnotherContextLengthIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ScoringEngine(
            _session, new FakeTokenizer(contextLength: 77), _preprocessor, _cache, _metrics, new ScoringEngineOptions { Batching = new() { MaxBatchSize = 4 } }, NullLogger<ScoringEngine>.Instance));

        Assert.Contains("77", error.Message, StringComparison.Ordinal);
    }

    private sealed class NoQualitySession : Inference.Onnx.IModelSession
    {
        private readonly FakeModelSession _inner = new(maxBatchSize: 32);

        public Core.Bundles.ModelIdentity Identity => _inner.Identity;

        public int MaxBatchSize => _inner.MaxBatchSize;

        public int ContextLength => _inner.ContextLength;

        public int EmbedDim => _inner.EmbedDim;

        public Core.Imaging.PreprocessSpec Preprocess => _inner.Preprocess;

        public IReadOnlyList<string> Outputs { get; } = ["alignment", "aesthetics"];

        public string ExecutionProviderName => "FAKE";

        public void EncodeText(IReadOnlyList<long[]> inputIds, Span<float> textFeatures) => _inner.EncodeText(inputIds, textFeatures);

        public void Score(IReadOnlyList<float[]> pixels, ReadOnlySpan<float> textFeatures, Span<float> scores) => _inner.Score(pixels, textFeatures, scores);

        public void Dispose() => _inner.Dispose();
    }
}
