using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;

namespace IpIqa.Training.Tests.Evaluation;

/// <summary>The candidates and the top-1 rule of the zero-shot attribute probe (probe-clip).</summary>
public sealed class ClipAttributeProbeTests
{
    private static readonly SceneSpec Scene = new(ShapeKind.Star, SceneColor.Palette[2], 3, ScenePosition.Left, RenderStyle.Sketch);

    [Theory]
    [InlineData(SwapAttribute.Shape)]
    [InlineData(SwapAttribute.Colour)]
    [InlineData(SwapAttribute.Count)]
    [InlineData(SwapAttribute.Position)]
    [InlineData(SwapAttribute.Style)]
    public void Candidates_HoldTheSceneOnce_AndEveryOtherValueOfOnlyThatAttribute(SwapAttribute attribute)
    {
        var candidates = ClipAttributeProbe.Candidates(Scene, attribute);

        Assert.Single(candidates, c => c == Scene);
        Assert.Equal(candidates.Count, candidates.Select(c => c.ToPrompt()).Distinct(StringComparer.Ordinal).Count());
        var expected = attribute switch
        {
            SwapAttribute.Shape => Enum.GetValues<ShapeKind>().Length,
            SwapAttribute.Colour => SceneColor.Palette.Count,
            SwapAttribute.Count => PromptGrammar.MaxCount,
            SwapAttribute.Position => Enum.GetValues<ScenePosition>().Length,
            _ => Enum.GetValues<RenderStyle>().Length,
        };
        Assert.Equal(expected, candidates.Count);
        foreach (var c in candidates)
        {
            bool[] differs = [c.Shape != Scene.Shape, c.Color != Scene.Color, c.Count != Scene.Count, c.Position != Scene.Position, c.Style != Scene.Style];
            Assert.DoesNotContain(true, differs.Where((_, i) => i != (int)attribute - 1));
        }
    }

    [Fact]
    public void Candidates_OfARandomPrompt_IsAnError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipAttributeProbe.Candidates(Scene, SwapAttribute.RandomPrompt));

    [Fact]
    public void IsTop1_OnlyWhenTheOwnPromptIsStrictlyClosest()
    {
        Assert.True(ClipAttributeProbe.IsTop1([0.1f, 0.9f, 0.3f], 1));
        Assert.False(ClipAttributeProbe.IsTop1([0.1f, 0.9f, 0.3f], 2));
        Assert.False(ClipAttributeProbe.IsTop1([0.5f, 0.5f], 0));
    }
}
