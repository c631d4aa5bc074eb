using IpIqa.Training.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IpIqa.Training.Tests.Training;

/// <summary>
/// The training stages' AdamW: TorchSharp's update and state, with Scalars that outlive each native call.
/// The second test steps while another thread collects and finalizes without pause (bounded loops, as
/// <see cref="ScalarLifetimeTests"/>). TorchSharp's own AdamW passed that test too in 300 steps here; the
/// crash it guards against was seen only in long training runs.
/// </summary>
public sealed class DisposalSafeAdamWTests
{
    [Fact]
    public void Step_MatchesTorchSharpsAdamW_AndItsState()
    {
        random.manual_seed(11);
        using var start = randn(64, 32);
        using var ours = new Parameter(start.clone());
        using var theirs = new Parameter(start.clone());
        using var safe = new DisposalSafeAdamW([new AdamW.ParamGroup([ours], lr: 1e-2, weight_decay: 0.05)], 1e-2, 0.9, 0.999, 0.05);
        using var stock = optim.AdamW([new AdamW.ParamGroup([theirs], lr: 1e-2, weight_decay: 0.05)], 1e-2, 0.9, 0.999, weight_decay: 0.05);
        using var target = randn(64, 32);

        for (var i = 0; i < 5; i++)
        {
            Step(safe, ours, target);
            Step(stock, theirs, target);
        }

        Assert.False(ours.allclose(start), "the parameter did not move");
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-7), $"the updates differ by up to {(ours - theirs).abs().max().item<float>()}");
    }

    [Fact]
    public void Step_UnderConcurrentCollections_KeepsItsScalars()
    {
        using var weight = new Parameter(ones(1 << 20));
        using var optimizer = new DisposalSafeAdamW([new AdamW.ParamGroup([weight], lr: 1e-3, weight_decay: 0.01)], 1e-3, 0.9, 0.999, 0.01);
        using var target = ones(1 << 20);

        ScalarLifetimeTests.WhileCollecting(() => Step(optimizer, weight, target));

        Assert.True(weight.isfinite().all().item<bool>(), "a step wrote a non-finite value");
        Assert.True(weight.max().item<float>() < 1, "the steps did not move the weight toward its target");
    }

    private static void Step(OptimizerHelper optimizer, Parameter weight, Tensor target)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        // d/dw of sum(w * w * t) is 2 w t: a tensor product, no Scalar outside the optimizer
        weight.mul(weight).mul(target).sum().backward();
        optimizer.step();
    }
}
