using System.CommandLine;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary><c>ipiqa-train finetune</c>: IQA fine-tuning on K prompt-disjoint splits, reported as mean ± std.</summary>
internal static class FinetuneCommand
{
    public static Command Create()
    {
        var options = new StageCommandOptions();
        var protocol = new Option<string?>("--protocol") { Description = "official (epoch picked on the held-out prompts) or honest (picked on validation prompts; held-out touched once)." };
        protocol.AcceptOnlyFromAmong("official", "honest");
        var splits = new Option<int?>("--splits") { Description = "Number of repeated random 80/20 prompt-disjoint splits." };
        var command = new Command(FinetuneStage.Name, "IQA fine-tuning (MSE on quality and alignment MOS), official or honest protocol over K splits.");
        options.AddTo(command);
        command.Options.Add(protocol);
        command.Options.Add(splits);
        command.SetAction((parse, cancellationToken) => Task.FromResult(StageRunner.Run(
            FinetuneStage.Name,
            options.Inputs(parse),
            () => options.Options(parse, o => o with { Protocol = parse.GetValue(protocol) ?? o.Protocol, Splits = parse.GetValue(splits) ?? o.Splits }),
            (inputs, resolved) => FinetuneStage.Run(inputs, resolved, parse.InvocationConfiguration.Output, cancellationToken),
            parse.InvocationConfiguration.Error)));
        return command;
    }
}
