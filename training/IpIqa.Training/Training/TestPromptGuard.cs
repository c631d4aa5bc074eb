using IpIqa.Training.Data;

namespace IpIqa.Training.Training;

/// <summary>
/// Keeps pretraining (pretrain-clip, image2prompt) off the test prompts of the fine-tuning run that follows it.
/// Pretraining on those prompts' images, let alone on pairs selected by their alignment MOS, leaks the test
/// labels into the model. Given the fine-tuning data and config, the test prompts of every split are known in
/// advance (the splits are seeded); an overlap is refused unless the caller excludes it or allows it.
/// </summary>
public static class TestPromptGuard
{
    public const string Refuse = "refuse";
    public const string Exclude = "exclude";
    public const string Allow = "allow";

    /// <summary>The prompt texts in the test part of any split of a fine-tuning run with <paramref name="finetune"/> on <paramref name="samples"/>.</summary>
    public static IReadOnlySet<string> TestPrompts(IReadOnlyList<IqaSample> samples, TrainingOptions finetune) =>
        PromptSplitter.Split(samples, FinetuneStage.Protocol(finetune)).SelectMany(s => s.Test).Select(s => s.Prompt).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The prompts the stage must leave out: none when <paramref name="pretraining"/> shares no prompt with
    /// <paramref name="testPrompts"/> or the policy is <see cref="Allow"/> (logged as a warning); the shared ones
    /// under <see cref="Exclude"/>. Under <see cref="Refuse"/> an overlap throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static IReadOnlySet<string> Check(string stage, IReadOnlyList<IqaSample> pretraining, IReadOnlySet<string> testPrompts, string policy, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(pretraining);
        ArgumentNullException.ThrowIfNull(log);
        var shared = pretraining.Select(s => s.Prompt).Where(testPrompts.Contains).ToHashSet(StringComparer.Ordinal);
        var images = pretraining.Count(s => shared.Contains(s.Prompt));
        if (shared.Count == 0)
        {
            log.WriteLine($"{stage}: none of the {testPrompts.Count} fine-tuning test prompts is in the pretraining data");
            return shared;
        }

        var what = $"{shared.Count} of the {testPrompts.Count} fine-tuning test prompts ({images} images) are in the pretraining data";
        switch (policy)
        {
            case Exclude:
                log.WriteLine($"{stage}: {what}; they are left out");
                return shared;
            case Allow:
                log.WriteLine($"{stage}: warning: {what}; kept (--test-overlap allow): the fine-tuning test metrics are not held out");
                return new HashSet<string>(StringComparer.Ordinal);
            default:
                throw new InvalidDataException(
                    $"{what}, a label leak into the fine-tuning test metrics. Pass --test-overlap exclude to leave them out, or --test-overlap allow to keep them knowingly.");
        }
    }
}
