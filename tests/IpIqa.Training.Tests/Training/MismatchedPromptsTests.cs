using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class MismatchedPromptsTests
{
    private const double Target = 1.44;

    // 40 prompt groups of 5 images; alignment MOS from 0.6 to 4.9 so that some lie below the target.
    private static readonly IqaSample[] Samples = Enumerable.Range(0, 200)
        .Select(i => new IqaSample($"img_{i}.png", $"prompt {i / 5}", 3.0, 0.6 + (i % 44 * 0.1), $"group {i / 5}"))
        .ToArray();

    private static IEnumerable<int[]> Batches(int count, int seed)
    {
        var random = new Random(seed);
        for (var b = 0; b < count; b++)
        {
            yield return Enumerable.Range(0, 32).Select(_ => random.Next(Samples.Length)).ToArray();
        }
    }

    [Fact]
    public void MismatchedPair_HasAnotherGroupsPrompt_AndTheLowerAlignment_UnmatchedPairKeepsItsOwn()
    {
        var sampler = new MismatchedPrompts(Samples, 0.3, Target, seed: 5);
        var mismatched = 0;
        var unmatched = 0;

        foreach (var batch in Batches(50, 1))
        {
            var draw = sampler.Draw(batch);
            for (var row = 0; row < batch.Length; row++)
            {
                var own = Samples[batch[row]];
                if (draw.Mismatched[row])
                {
                    mismatched++;
                    var other = Samples.First(s => s.Prompt == draw.Prompts[row]);
                    Assert.NotEqual(own.PromptGroup, other.PromptGroup);
                    Assert.Equal(Math.Min(own.Alignment!.Value, Target), draw.Alignment[row]);
                }
                else
                {
                    unmatched++;
                    Assert.Equal(own.Prompt, draw.Prompts[row]);
                    Assert.Equal(own.Alignment!.Value, draw.Alignment[row]);
                }
            }
        }

        Assert.True(mismatched > 0 && unmatched > 0, $"{mismatched} mismatched, {unmatched} matched");
        Assert.Contains(Samples, s => s.Alignment < Target);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    public void FractionOfMismatchedPairs_IsTheProbability(double probability)
    {
        var sampler = new MismatchedPrompts(Samples, probability, Target, seed: 11);

        var rows = Batches(400, 2).Select(sampler.Draw).SelectMany(d => d.Mismatched).ToArray();
        var fraction = rows.Count(m => m) / (double)rows.Length;

        // 12800 draws: one standard deviation is at most 0.0045.
        Assert.InRange(fraction, probability - 0.02, probability + 0.02);
    }

    [Fact]
    public void Draws_AreDeterminedByTheSeedAndTheBatch()
    {
        var batches = Batches(20, 3).ToArray();
        var first = batches.Select(new MismatchedPrompts(Samples, 0.3, Target, seed: 7).Draw).ToArray();
        var again = batches.Select(new MismatchedPrompts(Samples, 0.3, Target, seed: 7).Draw).ToArray();
        var otherSeed = batches.Select(new MismatchedPrompts(Samples, 0.3, Target, seed: 8).Draw).ToArray();

        Assert.Equal(first.SelectMany(d => d.Prompts), again.SelectMany(d => d.Prompts));
        Assert.Equal(first.SelectMany(d => d.Alignment), again.SelectMany(d => d.Alignment));
        Assert.NotEqual(first.SelectMany(d => d.Mismatched), otherSeed.SelectMany(d => d.Mismatched));
    }

    [Fact]
    public void OneGroup_WithAPositiveProbability_IsAnError()
    {
        var oneGroup = Samples.Take(5).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => new MismatchedPrompts(oneGroup, 0.3, Target, seed: 0));

        Assert.Contains("two prompt groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleWithoutAlignment_IsAnErrorNamingTheImage()
    {
        IqaSample[] qualityOnly = [new("a.png", "p a", 3, null, "a"), new("b.png", "p b", 3, null, "b")];
        var sampler = new MismatchedPrompts(qualityOnly, 0.5, Target, seed: 0);

        var error = Assert.Throws<InvalidDataException>(() => sampler.Draw([0, 1]));

        Assert.Contains("a.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negatives_TargetDefaultsToTheLowestAlignmentOfTheTrainingSplit()
    {
        using var log = new StringWriter();

        var off = FinetuneStage.Negatives(new TrainingOptions(), Samples, 0, log);
        var on = FinetuneStage.Negatives(new TrainingOptions { MismatchProbability = 0.3 }, Samples, 0, log);

        Assert.Null(off);
        Assert.NotNull(on);
        Assert.Equal(Samples.Min(s => s.Alignment!.Value), on.Alignment);
    }
}
