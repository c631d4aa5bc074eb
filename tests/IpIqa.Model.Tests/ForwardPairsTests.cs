using static TorchSharp.torch;

namespace IpIqa.Model.Tests;

/// <summary>
/// <see cref="IpIqaModel.ForwardPairs"/> scores many prompts per image with one image-tower pass (the swap-ranking
/// term of fine-tuning, #14); each pair must score as the plain forward of that image and prompt.
/// </summary>
public sealed class ForwardPairsTests
{
    [Fact]
    public void EachPair_ScoresAsThePlainForwardOfItsImageAndPrompt()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        using var model = new IpIqaModel(TinyConfig.Create() with { OutputDim = 2 });
        model.eval();
        using var noGrad = no_grad();
        var pixels = randn(3, 3, 64, 64);
        var tokens = randint(1, 50, [5, 8], dtype: ScalarType.Int64);
        long[] rows = [2, 0, 2, 1, 2];

        var pairs = model.ForwardPairs(pixels, tokens, tensor(rows));
        var plain = model.forward(pixels.index_select(0, tensor(rows)), tokens);

        Assert.Equal([5L, 2L], pairs.shape);
        // A tiny random model's outputs differ by only 2e-5 to 6e-4 between images (seeds 0-39; 1.2e-4 for seed 5), so the
        // pairs must match the plain forward far more tightly than that, and two images must differ by more than rounding.
        Assert.True(pairs.allclose(plain, rtol: 0, atol: 1e-6), "a pair scored unlike the plain forward");
        Assert.False(pairs[0].allclose(pairs[1], rtol: 0, atol: 1e-5), "two images scored alike: the rows were not followed");
    }
}
