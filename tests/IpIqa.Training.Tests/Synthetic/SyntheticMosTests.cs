using IpIqa.Training.Data.Synthetic;

namespace IpIqa.Training.Tests.Synthetic;

public sealed class SyntheticMosTests
{
    public static TheoryData<string> Degradations => ["blur", "noise", "jpeg", "posterize", "downscale"];

    [Theory]
    [MemberData(nameof(Degradations))]
    public void Quality_StrictlyDecreases_AsEachDegradationGetsStronger(string kind)
    {
        var scores = Enumerable.Range(0, 8).Select(step => SyntheticMos.Quality(Controls(kind, step))).ToArray();

        Assert.Equal(SyntheticMos.Max, scores[0], 12);
        for (var i = 1; i < scores.Length; i++)
        {
            Assert.True(scores[i] < scores[i - 1], $"{kind}: step {i} gives {scores[i]}, step {i - 1} gives {scores[i - 1]}");
            Assert.InRange(scores[i], SyntheticMos.Floor, SyntheticMos.Max);
        }
    }

    [Theory]
    [MemberData(nameof(Degradations))]
    public void Quality_WithADegradationAlreadyPresent_StillDecreasesWithAnother(string kind)
    {
        var blurred = new QualityControls(BlurSigma: 2);
        var both = Controls(kind, 4) with { BlurSigma = kind == "blur" ? 4 : 2 };

        Assert.True(SyntheticMos.Quality(both) < SyntheticMos.Quality(blurred));
    }

    [Fact]
    public void Alignment_EachDeviation_LowersIt_AndMissingObjectLowersItMost()
    {
        var clean = QualityControls.None;
        var aligned = SyntheticMos.Alignment(AlignmentControls.None, clean);
        var colour = SyntheticMos.Alignment(new AlignmentControls(WrongColor: true), clean);
        var shape = SyntheticMos.Alignment(new AlignmentControls(WrongObject: true), clean);
        var count1 = SyntheticMos.Alignment(new AlignmentControls(CountError: 1), clean);
        var count3 = SyntheticMos.Alignment(new AlignmentControls(CountError: -3), clean);
        var colourAndShape = SyntheticMos.Alignment(new AlignmentControls(WrongColor: true, WrongObject: true), clean);
        var missing = SyntheticMos.Alignment(new AlignmentControls(MissingObject: true), clean);

        Assert.Equal(SyntheticMos.Max, aligned, 12);
        Assert.All(new[] { colour, shape, count1 }, a => Assert.True(a < aligned));
        Assert.True(count3 < count1);
        Assert.True(colourAndShape < Math.Min(colour, shape));
        Assert.True(missing < new[] { colour, shape, count3, colourAndShape }.Min());
    }

    [Fact]
    public void Alignment_WrongPositionOrStyle_LowersIt_LessThanAWrongObject()
    {
        var clean = QualityControls.None;
        var shape = SyntheticMos.Alignment(new AlignmentControls(WrongObject: true), clean);
        var position = SyntheticMos.Alignment(new AlignmentControls(WrongPosition: true), clean);
        var style = SyntheticMos.Alignment(new AlignmentControls(WrongStyle: true), clean);
        var both = SyntheticMos.Alignment(new AlignmentControls(WrongPosition: true, WrongStyle: true), clean);

        Assert.InRange(position, shape + 1e-6, SyntheticMos.Max - 1e-6);
        Assert.InRange(style, position + 1e-6, SyntheticMos.Max - 1e-6);
        Assert.True(both < position);
        Assert.Equal("wrong_position wrong_style", new AlignmentControls(WrongPosition: true, WrongStyle: true).Describe());
    }

    [Fact]
    public void Alignment_DropsSlightlyWhenBlurHidesTheContent_ButLessThanQuality()
    {
        var blur = new QualityControls(BlurSigma: 3);
        var alignmentDrop = SyntheticMos.Alignment(AlignmentControls.None, QualityControls.None) - SyntheticMos.Alignment(AlignmentControls.None, blur);
        var qualityDrop = SyntheticMos.Quality(QualityControls.None) - SyntheticMos.Quality(blur);

        Assert.InRange(alignmentDrop, 1e-6, qualityDrop);
    }

    [Fact]
    public void RaterPanel_MeanTracksTrueMos_AndStdIsPositive()
    {
        var random = new Random(1);
        var rated = Enumerable.Range(0, 200).Select(_ => RaterPanel.Rate(2.5, random)).ToArray();

        Assert.InRange(rated.Average(r => r.Mos), 2.45, 2.55);
        Assert.All(rated, r => Assert.InRange(r.Std, 0.1, 1.2));
    }

    private static QualityControls Controls(string kind, int step) => kind switch
    {
        "blur" => new QualityControls(BlurSigma: 0.5 * step),
        "noise" => new QualityControls(NoiseSigma: 5.0 * step),
        "jpeg" => step == 0 ? QualityControls.None : new QualityControls(JpegQuality: 95 - (12 * step)),
        "posterize" => step == 0 ? QualityControls.None : new QualityControls(PosterizeLevels: 256 >> step),
        "downscale" => new QualityControls(DownscaleFactor: 1 + (0.75 * step)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
