using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Inference.Tests.Reference;

/// <summary>
/// On the reference bundle, word attributions from the image features and the head graph equal those of the whole image
/// graph (the same bundle without its head graph, as exported before head graphs existed), which still explains words.
/// </summary>
public sealed class HeadGraphAttributionTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private const double Tolerance = 1e-5;

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Attributions_from_the_head_graph_equal_the_whole_graphs_on_every_reference_sample()
    {
        using var temp = new TempDirectory("no-head");
        await using var split = Load(reference.Folder);
        await using var whole = Load(DemoBundle.CopyWithoutHead(reference.Folder, temp.Combine("bundle")));
        Assert.True(split.Engine.ReusesImageFeatures);
        Assert.False(whole.Engine.ReusesImageFeatures);
        Assert.True(whole.Engine.CanExplain);

        foreach (var (image, prompt, _) in ReferenceBundle.Samples())
        {
            var input = new ScorerInput(ImageInput.FromFile(image), prompt);
            var fromHead = await new EngineExplainer(split.Engine).ScoreExplainedAsync(input, "sample", words: true, CancellationToken.None);
            var fromWhole = await new EngineExplainer(whole.Engine).ScoreExplainedAsync(input, "sample", words: true, CancellationToken.None);

            Assert.Equal(fromWhole.Outcome.Scores, fromHead.Outcome.Scores);
            var expected = Words(fromWhole, prompt);
            var actual = Words(fromHead, prompt);
            Assert.Equal(expected.Select(w => w.Word), actual.Select(w => w.Word));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].AlignmentWithout!.Value, actual[i].AlignmentWithout!.Value, Tolerance);
                Assert.Equal(expected[i].Change!.Value, actual[i].Change!.Value, Tolerance);
            }
        }
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Head_graph_scores_equal_the_image_graphs_for_other_prompts_and_an_invalid_prompt_gets_none()
    {
        await using var loaded = Load(reference.Folder);
        var samples = ReferenceBundle.Samples();
        var prompts = samples.Select(s => s.Prompt).Append(" ").ToArray();
        var input = new ScorerInput(ImageInput.FromFile(samples[0].Image), samples[0].Prompt);

        var explained = await loaded.Engine.ScoreExplainedAsync(input, keepFeatures: true, CancellationToken.None);
        var fromHead = await loaded.Engine.ScorePromptsAsync(explained.Features!, prompts, CancellationToken.None);

        Assert.Equal(prompts.Length, fromHead.Count);
        Assert.Null(fromHead[^1]);
        for (var i = 0; i < samples.Count; i++)
        {
            var full = await loaded.Engine.ScoreAsync(input with { Prompt = prompts[i] }, CancellationToken.None);
            Assert.Equal(full.Scores!.Quality, fromHead[i]!.Quality, Tolerance);
            Assert.Equal(full.Scores.Alignment, fromHead[i]!.Alignment, Tolerance);
        }
    }

    private static IReadOnlyList<WordAttribution> Words(ExplainedScore explained, string prompt)
    {
        Assert.True(explained.Outcome.IsSuccess, explained.Outcome.Error?.Message);
        var words = Assert.IsAssignableFrom<IReadOnlyList<WordAttribution>>(explained.Explanation?.Words);
        Assert.Equal(WordAttribution.Split(prompt).Length, words.Count);
        Assert.All(words, w => Assert.NotNull(w.AlignmentWithout));
        return words;
    }

    private static LoadedScoringEngine Load(string folder) => ScoringEngineFactory.Create(
        new ModelOptions { BundlePath = folder, ExecutionProvider = ExecutionProvider.Cpu },
        new ScoringEngineOptions { Batching = new() { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(5) } },
        bundle => BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder),
        new ImagePreprocessor(new ImagingOptions()),
        NullLoggerFactory.Instance);
}
