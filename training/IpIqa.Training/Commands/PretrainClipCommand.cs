using System.CommandLine;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train pretrain-clip</c>: contrastive CLIP pretraining of both towers from scratch.</summary>
internal static class PretrainClipCommand
{
    public static Command Create()
    {
        var options = new StageCommandOptions();
        var command = new Command(ClipPretrainStage.Name, "Contrastive CLIP pretraining (symmetric InfoNCE, learnable logit scale) of the image and text towers on (image, prompt) pairs.");
        var guard = new TestPromptGuardOptions();
        options.AddTo(command);
        guard.AddTo(command);
        command.SetAction((parse, cancellationToken) => Task.FromResult(StageRunner.Run(
            ClipPretrainStage.Name,
            options.Inputs(parse),
            () => options.Options(parse),
            (inputs, resolved) => ClipPretrainStage.Run(guard.Apply(parse, ClipPretrainStage.Name, inputs, parse.InvocationConfiguration.Output), resolved, parse.InvocationConfiguration.Output, cancellationToken),
            parse.InvocationConfiguration.Error)));
        return command;
    }
}
