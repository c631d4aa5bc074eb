using TorchSharp;
using static TorchSharp.torch;

namespace IpIqa.Model.Tests;

/// <summary>
/// The text tower runs only the positions up to the batch's last feature position (#14); the causal
/// mask makes that equal to running all of the context, features and gradients alike.
/// </summary>
public sealed class TextLengthTests
{
    private const long Eot = 49;
    private const int Context = 16;

    public static TheoryData<string> Modes => [IpIqaConfig.TextFeatureEot, IpIqaConfig.TextFeatureQaToken];

    [Theory]
    [MemberData(nameof(Modes))]
    public void TrimmedFeatures_EqualTheFullContext_ForALongAndAShortPrompt(string mode)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(mode);
        using var noGrad = no_grad();
        var tokens = Prompts(11, 3);
        var position = model.TextFeaturePosition(tokens);

        var trimmed = model.EncodeText(tokens);
        var full = model.EncodeText(tokens, position, Context);

        Assert.Equal(12L, IpIqaModel.UsedLength(position, Context));
        AssertClose(full, trimmed, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TrimmedFeatures_EqualTheFullContext_WhenAPromptFillsTheContext(string mode)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(mode);
        using var noGrad = no_grad();
        var tokens = Prompts(Context - 1, 2);
        var position = model.TextFeaturePosition(tokens);

        var trimmed = model.EncodeText(tokens);
        var full = model.EncodeText(tokens, position, Context);

        // qa_token reads a full prompt at context_length - 2, so its end-of-text token is not run.
        Assert.Equal(mode == IpIqaConfig.TextFeatureEot ? Context : Context - 1, IpIqaModel.UsedLength(position, Context));
        AssertClose(full, trimmed, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TrimmedBackward_GivesTheFullContextGradients(string mode)
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(mode);
        var tokens = Prompts(9, 4, 6);
        var weights = randn(3, 16);

        var full = Gradients(model, () => model.EncodeText(tokens, model.TextFeaturePosition(tokens), Context), weights);
        var trimmed = Gradients(model, () => model.EncodeText(tokens), weights);

        Assert.Equal(full.Keys, trimmed.Keys);
        Assert.Contains("txt_pos", trimmed.Keys);
        foreach (var (name, gradient) in full)
        {
            AssertClose(gradient, trimmed[name], 1e-5, name);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ACutOneShort_ChangesTheLongPromptsFeature(string mode)
    {
        // Guards the equality tests above: the feature at the last used position depends on that
        // position, so a cut that dropped it could not pass them.
        using var scope = NewDisposeScope();
        using var model = NewModel(mode);
        using var noGrad = no_grad();
        var tokens = Prompts(11, 3);
        var position = model.TextFeaturePosition(tokens);
        var used = IpIqaModel.UsedLength(position, Context);

        var full = model.EncodeText(tokens, position, Context);
        var short1 = model.EncodeText(tokens, position.clamp_max(used - 2), used - 1);

        Assert.False(full[0].allclose(short1[0], rtol: 0, atol: 1e-3));
        AssertClose(full[1], short1[1], 1e-5);
    }

    [Fact]
    public void UsedLength_OfAnEmptyBatch_IsTheContext()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(IpIqaConfig.TextFeatureEot);
        var tokens = zeros(new long[] { 0, Context }, ScalarType.Int64);

        Assert.Equal(Context, IpIqaModel.UsedLength(model.TextFeaturePosition(tokens), Context));
        Assert.Equal([0L, 16L], model.EncodeText(tokens).shape);
    }

    private static IpIqaModel NewModel(string mode)
    {
        random.manual_seed(14);
        var model = new IpIqaModel(TinyConfig.Create(mode) with { ContextLength = Context, TransformerLayers = 2 });
        using var noGrad = no_grad();
        model.state_dict()["txt_pos"].normal_(0, 1); // positions that differ enough to matter
        return model;
    }

    /// <summary>One prompt per end-of-text index: random ids, end-of-text, then padding with random ids too.</summary>
    private static Tensor Prompts(params long[] eotAt)
    {
        var tokens = randint(1, Eot, [eotAt.Length, Context], dtype: ScalarType.Int64);
        for (var i = 0; i < eotAt.Length; i++)
        {
            tokens[i, eotAt[i]] = tensor(Eot);
        }

        return tokens;
    }

    private static Dictionary<string, Tensor> Gradients(IpIqaModel model, Func<Tensor> features, Tensor weights)
    {
        model.zero_grad();
        (features() * weights).sum().backward();
        return model.named_parameters()
            .Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what = "features")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (expected - actual).abs().max();
        var largest = difference.item<float>();
        Assert.True(largest <= tolerance, $"{what}: largest difference {largest:G3} > {tolerance:G3}");
    }
}
