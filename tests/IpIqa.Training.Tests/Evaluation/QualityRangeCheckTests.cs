using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Data.Synthetic;
using IpIqa.Training.Evaluation;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Evaluation;

/// <summary>The quality rows of evaluate --attribute-swaps on a tiny synthetic set, with predictions whose answers are known.</summary>
public sealed class QualityRangeCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new("ipiqa-quality-range");
    private readonly IReadOnlyList<IqaSample> _samples;
    private readonly IReadOnlyDictionary<string, (string Quality, string Alignment)> _labels;

    public QualityRangeCheckTests()
    {
        SyntheticDatasetGenerator.GenerateAsync(new SynthOptions(_temp.Combine("set"), 40, 8, 16, 13), null, CancellationToken.None).GetAwaiter().GetResult();
        var table = _temp.Combine("set", "data.csv");
        _samples = IqaDataset.Load(DatasetKind.Agiqa3k, table, _temp.Combine("set", "images")).Samples;
        _labels = SynthTableLabels.Read(table, "the quality rows");
    }

    private string[] QualityLabels => [.. _samples.Select(s => _labels[Path.GetFileName(s.ImagePath)].Quality)];

    [Fact]
    public void TheSet_HasCleanAndDegradedImagesOfOnePromptAndDeviation()
    {
        var result = Check(s => s.Quality);

        Assert.InRange(QualityLabels.Count(q => q == QualityRangeCheck.Clean), 5, _samples.Count - 5);
        Assert.True(result.Pairs >= 5, $"{result.Pairs} clean/degraded pairs");
    }

    [Fact]
    public void PredictionsEqualToMos_CleanBeatsDegradedEverywhere_SlopeOne_CleanMeanIsTheMos()
    {
        var result = Check(s => s.Quality);

        Assert.Equal(1.0, result.CleanBeatsDegraded);
        Assert.Equal(1.0, result.Slope, 9);
        Assert.Equal(0.0, result.Intercept, 9);
        Assert.Equal(result.CleanMeanMos, result.CleanMeanPredicted, 9);
        Assert.Equal(QualityLabels.Count(q => q == QualityRangeCheck.Clean), result.CleanImages);
        Assert.Equal(_samples.Count, result.Images);
    }

    [Fact]
    public void PredictionsCompressedTowardTheMiddle_ShowTheSlopeAndIntercept_AndTheCleanShortfall()
    {
        var result = Check(s => (0.4 * s.Quality) + 1.5);

        Assert.Equal(0.4, result.Slope, 9);
        Assert.Equal(1.5, result.Intercept, 9);
        Assert.Equal((0.4 * result.CleanMeanMos) + 1.5, result.CleanMeanPredicted, 9);
        Assert.True(result.CleanMeanPredicted < result.CleanMeanMos);
        Assert.Equal(1.0, result.CleanBeatsDegraded);
    }

    [Fact]
    public void PredictionsThatPreferDegradedImages_CleanNeverWins_AndConstantPredictionsTieAtHalf()
    {
        Assert.Equal(0.0, Check(s => -s.Quality).CleanBeatsDegraded);
        Assert.Equal(0.5, Check(_ => 2.5).CleanBeatsDegraded);
    }

    [Fact]
    public void AlignmentSrcc_LeavesOutTheMissingObjectImages()
    {
        // Right on every image but the missing-object ones, which are scored backwards: SRCC 1 without them.
        var result = Check(s => s.Quality, s => _labels[Path.GetFileName(s.ImagePath)].Alignment.Contains(QualityRangeCheck.MissingObject, StringComparison.Ordinal) ? 10 - s.Alignment!.Value : s.Alignment!.Value);

        var missing = _samples.Count(s => _labels[Path.GetFileName(s.ImagePath)].Alignment == QualityRangeCheck.MissingObject);
        Assert.InRange(missing, 1, _samples.Count - 10);
        Assert.Equal(_samples.Count - missing, result.WithoutMissingObject);
        Assert.Equal(1.0, result.AlignmentSrccWithoutMissingObject!.Value, 9);
    }

    [Fact]
    public void Line_OfAConstantMos_IsUndefined_NotAnError()
    {
        var (slope, _) = QualityRangeCheck.Line([2.0, 2.0, 2.0], [1.0, 2.0, 3.0]);

        Assert.True(double.IsNaN(slope));
    }

    public void Dispose() => _temp.Dispose();

    private QualityRangeCheck.Result Check(Func<IqaSample, double> quality, Func<IqaSample, double>? alignment = null) =>
        QualityRangeCheck.Of(new Predictions(_samples, [.. _samples.Select(s => new[] { quality(s), (alignment ?? (x => x.Alignment!.Value))(s) })], double.NaN), _labels);
}
