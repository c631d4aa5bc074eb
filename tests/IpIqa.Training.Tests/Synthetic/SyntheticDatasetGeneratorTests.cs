using System.ComponentModel.DataAnnotations;
using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;

namespace IpIqa.Training.Tests.Synthetic;

public sealed class SyntheticDatasetGeneratorTests
{
    [Fact]
    public async Task Generate_SameSeed_IsByteIdentical_OtherSeed_Differs()
    {
        using var temp = new TempDirectory();
        await Generate(temp.Combine("a"), seed: 11);
        await Generate(temp.Combine("b"), seed: 11);
        await Generate(temp.Combine("c"), seed: 12);

        var a = Snapshot(temp.Combine("a"));
        var b = Snapshot(temp.Combine("b"));
        var c = Snapshot(temp.Combine("c"));

        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.SequenceEqual(b[kv.Key]), $"{kv.Key} differs between two runs with the same seed"));
        Assert.False(a["data.csv"].SequenceEqual(c["data.csv"]));
    }

    [Fact]
    public async Task Generate_ThenLoadAsAgiqa3k_RoundTripsEveryImage_GroupedByPrompt()
    {
        using var temp = new TempDirectory();
        var images = await Generate(temp.Path, seed: 5, prompts: 6, perPrompt: 3);

        var set = IqaDataset.Load(DatasetKind.Agiqa3k, temp.Combine("data.csv"), temp.Combine("images"));

        Assert.Equal(18, set.Samples.Count);
        Assert.Equal(6, set.Samples.Select(s => s.PromptGroup).Distinct().Count());
        Assert.All(set.Samples.GroupBy(s => s.PromptGroup), g =>
        {
            Assert.Equal(3, g.Count());
            Assert.Single(g.Select(s => s.Prompt).Distinct());
        });
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(images[i].Prompt, set.Samples[i].Prompt);
            Assert.Equal(images[i].MosQuality, set.Samples[i].Quality, 4);
            Assert.Equal(images[i].MosAlign, set.Samples[i].Alignment!.Value, 4);
            Assert.InRange(set.Samples[i].Quality, 0, SyntheticMos.Max);
        }

        var splits = PromptSplitter.Split(set.Samples, SplitProtocol.Official(repeats: 2, seed: 0));
        Assert.All(splits, s => Assert.Empty(s.Test.Select(x => x.PromptGroup).Intersect(s.Train.Select(x => x.PromptGroup))));
    }

    [Fact]
    public void DistinctPrompts_WellBelowTheGrammarSize_NeverRepeatAText()
    {
        var scenes = SyntheticDatasetGenerator.DistinctPrompts(new SynthOptions("unused", Prompts: 1000, Seed: 3));

        Assert.Equal(1000, scenes.Select(s => s.ToPrompt()).Distinct().Count());
    }

    [Fact]
    public async Task Generate_ReportsProgressUpToTheImageCount()
    {
        using var temp = new TempDirectory();
        var reports = new List<int>();
        var progress = new SynchronousProgress(reports);

        await SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(temp.Combine("out"), 3, 2, 16, 0), progress, CancellationToken.None);

        Assert.Equal(6, reports.Count);
        Assert.Equal(6, reports.Max());
    }

    [Fact]
    public async Task Generate_Cancelled_StopsWithoutWritingTheTable()
    {
        using var temp = new TempDirectory();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(temp.Combine("out"), 50, 4, 32, 0), null, cancellation.Token));

        Assert.False(File.Exists(temp.Combine("out", "data.csv")));
    }

    [Fact]
    public async Task Generate_IntoANonEmptyFolder_IsRefused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("keep.txt"), "x");

        var e = await Assert.ThrowsAsync<IOException>(() => SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(temp.Path), null, CancellationToken.None));

        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4, 64, "Prompts")]
    [InlineData(10, 0, 64, "ImagesPerPrompt")]
    [InlineData(10, 4, 4, "Size")]
    public void Options_OutOfRange_NameTheValue(int prompts, int perPrompt, int size, string member)
    {
        var e = Assert.Throws<ValidationException>(() => new SynthOptions("out", prompts, perPrompt, size).Validate());

        Assert.Contains(member, e.Message, StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<SynthImage>> Generate(string output, int seed, int prompts = 4, int perPrompt = 3) =>
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(output, prompts, perPrompt, 32, seed), null, CancellationToken.None);

    private static Dictionary<string, byte[]> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
