using System.CommandLine;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train image2prompt</c>: the image tower learns to predict the frozen prompt embedding.</summary>
internal static class Image2PromptCommand
{
    public static Command Create()
    {
        var options = new StageCommandOptions();
        var command = new Command(Image2PromptStage.Name, "Image2Prompt incremental pretraining: cosine embedding loss between the image embedding and the frozen prompt embedding.");
        var guard = new TestPromptGuardOptions();
        options.AddTo(command);
        guard.AddTo(command);
        command.SetAction((parse, cancellationToken) => Task.FromResult(StageRunner.Run(
            Image2PromptStage.Name,
            options.Inputs(parse),
            () => options.Options(parse),
            (inputs, resolved) => Image2PromptStage.Run(guard.Apply(parse, Image2PromptStage.Name, inputs, parse.InvocationConfiguration.Output), resolved, parse.InvocationConfiguration.Output, cancellationToken),
            parse.InvocationConfiguration.Error)));
        return command;
    }
}
