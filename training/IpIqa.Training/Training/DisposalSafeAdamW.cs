using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>
/// TorchSharp's AdamW (decoupled weight decay, bias-corrected moments; no amsgrad, no maximize) with the same
/// state, so checkpoints and resumption are unchanged, but a step whose numbers reach libtorch as Scalars that
/// are disposed only after each call returns. TorchSharp 0.107's own step turns every number (1 − lr·wd, β1,
/// 1 − β1, ε, −lr / (1 − β1ᵗ) ...) into a temporary Scalar that is never disposed: a collection during the
/// native call may finalize it while libtorch still reads it, the crash of <see cref="IpIqa.Model.ScalarOps"/>
/// (docs/models.md, "Limits"), and the rest wait for the finalizer thread.
/// </summary>
public sealed class DisposalSafeAdamW(IEnumerable<AdamW.ParamGroup> groups, double lr, double beta1, double beta2, double weightDecay)
    : AdamW(groups, lr, beta1, beta2, weight_decay: weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(
            group =>
            {
                var options = (Options)group.Options;
                var (b1, b2) = (options.beta1!.Value, options.beta2!.Value);
                var (lr, decay, eps) = (options.LearningRate!.Value, options.weight_decay!.Value, options.eps!.Value);
                using var keep = (1 - (lr * decay)).ToScalar();
                using var beta1 = b1.ToScalar();
                using var beta2 = b2.ToScalar();
                using var gain1 = (1 - b1).ToScalar();
                using var gain2 = (1 - b2).ToScalar();
                using var epsilon = eps.ToScalar();
                foreach (var param in group.Parameters)
                {
                    var grad = param.grad;
                    if (grad is null)
                    {
                        continue;
                    }

                    var state = (State)_state[param.Handle];
                    state.step += 1;
                    param.mul_(keep);
                    state.exp_avg.mul_(beta1).add_(grad, gain1);
                    state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, gain2);
                    using var correction2 = Math.Sqrt(1 - Math.Pow(b2, state.step)).ToScalar();
                    using var stepSize = (-lr / (1 - Math.Pow(b1, state.step))).ToScalar();
                    using var denominator = state.exp_avg_sq.sqrt();
                    denominator.div_(correction2).add_(epsilon);
                    param.addcdiv_(state.exp_avg, denominator, stepSize);
                }
            },
            closure);
}
