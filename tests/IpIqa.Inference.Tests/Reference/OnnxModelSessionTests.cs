using IpIqa.Core.Bundles;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Onnx;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Reference;

/// <summary>The ONNX Runtime session on the exported reference bundle reproduces the official outputs (1e-4).</summary>
public sealed class OnnxModelSessionTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private const double Tolerance = 1e-4;

    private OnnxModelSession Open(int maxBatch, ILogger<OnnxModelSession>? logger = null, ExecutionProvider provider = ExecutionProvider.Cpu) => new(
        ModelBundleLoader.Load(reference.Folder),
        new ModelOptions { BundlePath = reference.Folder, ExecutionProvider = provider },
        maxBatch,
        logger ?? NullLogger<OnnxModelSession>.Instance);

    [FixtureTheory(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    [InlineData(6, new[] { 6 })]
    [InlineData(4, new[] { 4, 2 })]
    [InlineData(1, new[] { 1, 1, 1, 1, 1, 1 })]
    [InlineData(6, new[] { 1, 3, 2 })]
    public void TextFeaturesAndScoresMatchTheReference_InAnyBatchSplit(int maxBatch, int[] split)
    {
        using var session = Open(maxBatch);
        Assert.True(session.TrimsTextIds, "the exported text graph takes ids cut after end-of-text");
        var samples = ReferenceBundle.Samples();
        var pixels = ReferenceBundle.Pixels();
        var expectedText = ReferenceBundle.TextFeatures();
        var expectedScores = ReferenceBundle.Scores();
        var tensor = session.Preprocess.TensorLength;
        var dim = session.EmbedDim;

        var start = 0;
        foreach (var count in split)
        {
            var ids = samples.Skip(start).Take(count).Select(s => s.TokenIds).ToArray();
            var text = new float[count * dim];
            session.EncodeText(ids, text);
            FloatAssert.Close(expectedText.AsSpan(start * dim, count * dim), text, Tolerance, $"text_features from sample {start}");

            var images = Enumerable.Range(start, count).Select(i => pixels.AsSpan(i * tensor, tensor).ToArray()).ToArray();
            var scores = new float[count * 2];
            session.Score(images, text, scores);
            FloatAssert.Close(expectedScores.AsSpan(start * 2, count * 2), scores, Tolerance, $"scores from sample {start}");
            start += count;
        }

        Assert.Equal(samples.Count, start);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void AnFp16BundleLoadsUnchangedAndScoresTheReferenceOnTheCpu_WithinTheFp16Tolerance()
    {
        // 2e-3: the export tests' tolerance for an fp16 image graph (measured 2.3e-4 on the CPU, docs/export.md).
        using var folder = new TempDirectory("fp16-bundle");
        ReferenceBundle.ExportTo(folder.Path, BundlePrecision.Fp16);
        var bundle = ModelBundleLoader.Load(folder.Path);
        using var session = new OnnxModelSession(bundle, new ModelOptions { BundlePath = folder.Path }, 6, NullLogger<OnnxModelSession>.Instance);
        var samples = ReferenceBundle.Samples();
        var tensor = session.Preprocess.TensorLength;
        var pixels = ReferenceBundle.Pixels();

        var text = new float[samples.Count * session.EmbedDim];
        session.EncodeText(samples.Select(s => s.TokenIds).ToArray(), text);
        var scores = new float[samples.Count * 2];
        session.Score(Enumerable.Range(0, samples.Count).Select(i => pixels.AsSpan(i * tensor, tensor).ToArray()).ToArray(), text, scores);

        Assert.Equal(BundlePrecision.Fp16, bundle.Manifest.Graphs.Image.EffectivePrecision);
        FloatAssert.Close(ReferenceBundle.TextFeatures(), text, Tolerance, "text_features (the text graph stays fp32)");
        FloatAssert.Close(ReferenceBundle.Scores(), scores, 2e-3, "fp16 scores");
        Assert.NotEqual(ModelBundleLoader.Load(reference.Folder).Identity.Hash, session.Identity.Hash);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void AskingForCudaWhereItCannotStart_FailsNamingTheSettingAndWhy_InsteadOfRunningOnCpu()
    {
        var logger = new CapturingLogger<OnnxModelSession>();

#if IPIQA_GPU
        // A GPU build: CUDA when a device answers, else the same failure (never CPU).
        try
        {
            using var session = Open(2, logger, ExecutionProvider.Cuda);
            Assert.Equal("CUDA", session.ExecutionProviderName);
        }
        catch (ExecutionProviderUnavailableException ex)
        {
            Assert.Contains("IpIqa:Model:ExecutionProvider is Cuda", ex.Message, StringComparison.Ordinal);
        }
#else
        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => Open(2, logger, ExecutionProvider.Cuda));
        Assert.Contains("IpIqa:Model:ExecutionProvider is Cuda", error.Message, StringComparison.Ordinal);
        Assert.Contains("CPU ONNX Runtime package", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, l => l.Message.Contains("loaded", StringComparison.Ordinal));
#endif
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void AutoInACpuBuildRunsOnCpu_SayingSoWithoutAWarning()
    {
        var logger = new CapturingLogger<OnnxModelSession>();

        using var session = Open(2, logger, ExecutionProvider.Auto);

#if !IPIQA_GPU
        Assert.Equal("CPU", session.ExecutionProviderName);
        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Information && l.Message.Contains("Auto: this build carries the CPU ONNX Runtime package", StringComparison.Ordinal));
#else
        Assert.NotNull(session.ExecutionProviderName);
#endif
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void AGraphWithoutTheContractsInputsIsRefusedByName()
    {
        using var swapped = new TempDirectory("swapped-bundle");
        foreach (var file in Directory.GetFiles(reference.Folder))
        {
            File.Copy(file, swapped.Combine(Path.GetFileName(file)));
        }

        var manifest = BundleManifestSerializer.ReadFromFolder(swapped.Path);
        var text = manifest.Graphs.Text;
        var image = manifest.Graphs.Image;
        BundleManifestSerializer.WriteToFolder(
            manifest with { Graphs = new BundleGraphs { Text = text with { File = image.File, Sha256 = image.Sha256 }, Image = image with { File = text.File, Sha256 = text.Sha256 } } },
            swapped.Path);

        var error = Assert.Throws<InvalidDataException>(() => new OnnxModelSession(
            ModelBundleLoader.Load(swapped.Path), new ModelOptions { BundlePath = swapped.Path, ExecutionProvider = ExecutionProvider.Cpu }, 2, NullLogger<OnnxModelSession>.Instance));

        Assert.Contains("input 'input_ids' is missing", error.Message, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void ABatchLargerThanTheBuffersIsRefused()
    {
        using var session = Open(2);
        var ids = ReferenceBundle.Samples().Take(3).Select(s => s.TokenIds).ToArray();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => session.EncodeText(ids, new float[3 * session.EmbedDim]));

        Assert.Contains("1 to 2 items", error.Message, StringComparison.Ordinal);
    }
}
