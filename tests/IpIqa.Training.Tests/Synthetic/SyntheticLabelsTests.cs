using IpIqa.Training.Data.Synthetic;

namespace IpIqa.Training.Tests.Synthetic;

public sealed class SyntheticLabelsTests
{
    [Fact]
    public void ParsePrompt_InvertsToPrompt_ForEverySceneOfTheGrammar()
    {
        var scenes = from shape in Enum.GetValues<ShapeKind>()
                     from color in SceneColor.Palette
                     from count in Enumerable.Range(1, PromptGrammar.MaxCount)
                     from position in Enum.GetValues<ScenePosition>()
                     from style in Enum.GetValues<RenderStyle>()
                     select new SceneSpec(shape, color, count, position, style);

        foreach (var scene in scenes)
        {
            Assert.Equal(scene, SyntheticLabels.ParsePrompt(scene.ToPrompt()));
        }
    }

    [Fact]
    public void Deviation_NamesEachAttributeThatDiffers_PositionAndStyleIncluded()
    {
        var scene = new SceneSpec(ShapeKind.Star, SceneColor.Palette[0], 2, ScenePosition.Left, RenderStyle.Flat);

        Assert.Equal(AlignmentControls.None, SyntheticLabels.Deviation(scene, scene));
        Assert.Equal(new AlignmentControls(WrongPosition: true), SyntheticLabels.Deviation(scene, scene with { Position = ScenePosition.Top }));
        Assert.Equal(new AlignmentControls(WrongStyle: true), SyntheticLabels.Deviation(scene, scene with { Style = RenderStyle.Sketch }));
        Assert.Equal(new AlignmentControls(WrongObject: true, CountError: -1), SyntheticLabels.Deviation(scene, scene with { Shape = ShapeKind.Ring, Count = 3 }));
    }

    [Theory]
    [InlineData("a photo of a cat")]
    [InlineData("five red circles on the left, flat style")]
    [InlineData("one red circles on the left, flat style")]
    [InlineData("two pink circles on the left, flat style")]
    [InlineData("two red circles on the moon, flat style")]
    [InlineData("two red circles on the left, oil style")]
    [InlineData("two red circles on the left")]
    public void ParsePrompt_OutsideTheGrammar_IsNull(string prompt)
    {
        Assert.Null(SyntheticLabels.ParsePrompt(prompt));
    }

    [Fact]
    public void ParseQuality_InvertsDescribe()
    {
        QualityControls[] controls =
        [
            QualityControls.None,
            new(BlurSigma: 1.2, JpegQuality: 30),
            new(NoiseSigma: 12.5, PosterizeLevels: 4, DownscaleFactor: 2.75),
        ];

        Assert.All(controls, c => Assert.Equal(c, SyntheticLabels.ParseQuality(c.Describe())));
    }

    [Theory]
    [InlineData("sharpen:2")]
    [InlineData("blur")]
    [InlineData("blur:x")]
    public void ParseQuality_UnknownText_IsNull(string text)
    {
        Assert.Null(SyntheticLabels.ParseQuality(text));
    }
}
