using System.CommandLine;
using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary>
/// The options of a pretraining command that keep it off the fine-tuning test prompts (<see cref="TestPromptGuard"/>):
/// the fine-tuning config, its data when it is not the pretraining data, and what to do with an overlap.
/// </summary>
internal sealed class TestPromptGuardOptions
{
    private readonly Option<FileInfo?> _finetuneConfig = new("--finetune-config") { Description = "The fine-tuning config that will follow: its test prompts are kept out of pretraining (--test-overlap)." };
    private readonly Option<FileInfo?> _finetuneData = new("--finetune-data") { Description = "The fine-tuning data table, when it is not --data (same --kind)." };
    private readonly Option<DirectoryInfo?> _finetuneImages = new("--finetune-images") { Description = "The fine-tuning images folder, when it is not --images." };
    private readonly Option<string> _overlap = new("--test-overlap") { Description = "When pretraining data holds fine-tuning test prompts: refuse (exit 1), exclude them, or allow (a warning).", DefaultValueFactory = _ => TestPromptGuard.Refuse };

    public TestPromptGuardOptions()
    {
        _overlap.AcceptOnlyFromAmong(TestPromptGuard.Refuse, TestPromptGuard.Exclude, TestPromptGuard.Allow);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _finetuneConfig, _finetuneData, _finetuneImages, _overlap })
        {
            command.Options.Add(option);
        }
    }

    /// <summary><paramref name="inputs"/> with the prompts to leave out; without --finetune-config a warning that nothing was checked.</summary>
    public StageInputs Apply(ParseResult parse, string stage, StageInputs inputs, TextWriter log)
    {
        if (parse.GetValue(_finetuneConfig) is not { } config)
        {
            log.WriteLine($"{stage}: warning: no --finetune-config, so the pretraining data is not checked against the fine-tuning test prompts (docs/training.md)");
            return inputs;
        }

        var finetune = TrainingOptions.Load(config.FullName).Validate();
        var pretraining = IqaDataset.Load(inputs.Kind, inputs.Data, inputs.Images).Samples;
        var finetuneData = parse.GetValue(_finetuneData)?.FullName ?? inputs.Data;
        var finetuneSamples = finetuneData == inputs.Data && parse.GetValue(_finetuneImages) is null
            ? pretraining
            : IqaDataset.Load(inputs.Kind, finetuneData, parse.GetValue(_finetuneImages)?.FullName ?? inputs.Images).Samples;
        var excluded = TestPromptGuard.Check(stage, pretraining, TestPromptGuard.TestPrompts(finetuneSamples, finetune), parse.GetValue(_overlap)!, log);
        return inputs with { ExcludedPrompts = excluded };
    }
}
