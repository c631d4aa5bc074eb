using System.CommandLine;

namespace IpIqa.Training.Commands;

/// <summary>The subcommands of <c>ipiqa-train</c>. Each command lives in its own file and is listed here once.</summary>
internal static class TrainCommands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return SynthCommand.Create();
        yield return ImportCommand.Create();
        yield return SplitCommand.Create();
        yield return PretrainClipCommand.Create();
        yield return Image2PromptCommand.Create();
        yield return FinetuneCommand.Create();
        yield return ExportCommand.Create();
        yield return QuantizeCommand.Create();
        yield return AddHeadCommand.Create();
        yield return EvaluateCommand.Create();
        yield return ProbeClipCommand.Create();
    }
}
