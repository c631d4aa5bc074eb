using TorchSharp;
using static TorchSharp.torch;

namespace IpIqa.Model.Tests;

public sealed class TextFeatureTests
{
    private const long Eot = 49;

    [Fact]
    public void EotPosition_IsTheLargestId()
    {
        using var scope = NewDisposeScope();
        using var model = new IpIqaModel(TinyConfig.Create());
        var tokens = tensor(new long[] { 48, 5, 6, Eot, 0, 0, 0, 0, 48, 5, 6, 7, 8, 9, 10, Eot }).reshape(2, 8);

        Assert.Equal([3L, 7L], model.TextFeaturePosition(tokens).data<long>().ToArray());
    }

    [Fact]
    public void QaTokenPosition_IsEotUnlessTheContextIsFull()
    {
        using var scope = NewDisposeScope();
        using var model = new IpIqaModel(TinyConfig.Create(IpIqaConfig.TextFeatureQaToken));
        var tokens = tensor(new long[] { 48, 5, 6, Eot, 0, 0, 0, 0, 48, 5, 6, 7, 8, 9, 10, Eot }).reshape(2, 8);

        Assert.Equal([3L, 6L], model.TextFeaturePosition(tokens).data<long>().ToArray());
        Assert.Contains("qa_token", model.state_dict().Keys);
    }

    [Fact]
    public void QaTokenFeature_DependsOnTheQaEmbeddingAndNotOnTokensAfterIt()
    {
        using var scope = NewDisposeScope();
        using var model = new IpIqaModel(TinyConfig.Create(IpIqaConfig.TextFeatureQaToken));
        model.eval();
        using var noGrad = no_grad();
        var prompt = tensor(new long[] { 48, 5, 6, Eot, 0, 0, 0, 0 }).reshape(1, 8);
        var otherTail = tensor(new long[] { 48, 5, 6, Eot, 3, 3, 3, 3 }).reshape(1, 8);

        var feature = model.EncodeText(prompt);
        var tailChanged = model.EncodeText(otherTail);
        model.state_dict()["qa_token"].add_(randn(16)); // not a constant shift, which layer norm would cancel
        var qaChanged = model.EncodeText(prompt);

        Assert.True(feature.allclose(tailChanged, rtol: 0, atol: 1e-6));
        Assert.False(feature.allclose(qaChanged, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void BadInputs_AreRejectedNamingTheShape()
    {
        using var scope = NewDisposeScope();
        using var model = new IpIqaModel(TinyConfig.Create());
        var tokens = zeros(new long[] { 1, 8 }, ScalarType.Int64);

        var pixelsError = Assert.Throws<ArgumentException>(() => model.Predict(zeros(1, 3, 32, 32), tokens));
        var dtypeError = Assert.Throws<ArgumentException>(() => model.Predict(zeros(new long[] { 1, 3, 64, 64 }, ScalarType.Float64), tokens));
        var tokenError = Assert.Throws<ArgumentException>(() => model.EncodeText(zeros(new long[] { 1, 7 }, ScalarType.Int64)));
        var vocabError = Assert.Throws<ArgumentException>(() => model.EncodeText(full(new long[] { 1, 8 }, 50L, ScalarType.Int64)));

        Assert.Contains("float32 N x 3 x 64 x 64; got Float32 [1, 3, 32, 32]", pixelsError.Message, StringComparison.Ordinal);
        Assert.Contains("got Float64", dtypeError.Message, StringComparison.Ordinal);
        Assert.Contains("[1, 7]", tokenError.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 50)", vocabError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_ReturnsScoresPerImage_AndDisposesItsTemporaries()
    {
        using var model = new IpIqaModel(TinyConfig.Create() with { Head = IpIqaConfig.HeadMlp });
        using var pixels = randn(3, 3, 64, 64);
        using var tokens = tensor(new long[] { 48, 5, Eot, 0, 0, 0, 0, 0 }).reshape(1, 8).expand(3, 8).contiguous();

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var output = model.Predict(pixels, tokens))
        {
            Assert.Equal([3L, 2L], output.Scores.shape);
            Assert.Equal([3L, 16L], output.TextPooled.shape);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
